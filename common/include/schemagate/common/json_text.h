#pragma once

#include <string>
#include <string_view>

namespace schemagate {

/// Appends `text` to `out` as a JSON string literal (quotes included), for
/// the few places that write JSON without a JSON library: structured logs
/// and the runner's termination message. Valid JSON whatever the bytes:
/// control characters are escaped, and each byte that is not part of
/// well-formed UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace schemagate
