#pragma once

#include <string>

namespace schemagate::postgres {

/// What the server said about a failed statement, split from libpq's text.
struct ServerError {
  std::string message;  ///< the primary message, without "ERROR:  "
  std::string detail;   ///< DETAIL, empty when none
  std::string hint;     ///< HINT, empty when none
  int line = 0;         ///< 1-based line within the statement text sent; 0 if unknown

  /// "message. DETAIL: ... HINT: ...", the parts there are.
  std::string describe() const;
};

/// Parses a libpq error text ("ERROR:  syntax error at or near ...\nLINE 7:
/// ..."). libpq prints the LINE marker from the server's error position.
ServerError parse_server_error(const std::string& text);

}  // namespace schemagate::postgres
