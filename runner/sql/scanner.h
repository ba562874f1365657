#pragma once

#include <optional>
#include <string>
#include <vector>

namespace schemagate::sql {

/// One lexical token of PostgreSQL's own scanner, as libpg_query reports it.
struct Token {
  int start = 0;  ///< byte offset of its first byte
  int end = 0;    ///< byte offset just past it
  int kind = 0;   ///< libpg_query's token number; a single-character token is its ASCII code
};

/// The byte itself is the token number of a character PostgreSQL's scanner
/// does not otherwise know, such as a backslash outside strings.
constexpr int kBackslashToken = '\\';

/// The tokens of `sql`, comments included, or nothing when the scanner
/// rejects the text (an unterminated string or comment): the server will say
/// where.
std::optional<std::vector<Token>> scan(const std::string& sql);

}  // namespace schemagate::sql
