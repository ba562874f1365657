#pragma once

#include <string>

namespace schemagate::build_info {

/// The release, from the VERSION file at the top of the source tree.
const char* version();

/// The git commit the binary was built from (12 hex digits), or "unknown"
/// when built outside git.
const char* revision();

/// What `--version` prints: "PROGRAM VERSION (revision REVISION)".
std::string version_line(const std::string& program);

}  // namespace schemagate::build_info
