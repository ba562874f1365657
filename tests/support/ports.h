#pragma once

namespace schemagate::testing {

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's
/// pick for an ephemeral bind); the caller should use it at once.
int free_port();

}  // namespace schemagate::testing
