#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace schemagate::sql {

/// One statement of a migration body, ready to send to the server on its own.
struct Statement {
  /// The statement exactly as written, a slice of the body: leading blanks and
  /// comments and the terminating `;` are left out, a trailing comment stays.
  std::string sql;
  size_t offset = 0;  ///< byte offset of `sql` in the body
  int line = 0;       ///< 1-based file line where `sql` starts
};

/// Splits a migration body into statements with PostgreSQL's own parser
/// (libpg_query), so `;` inside strings, quoted identifiers, comments and
/// dollar-quoted function bodies or DO blocks never splits. `first_line` is
/// the file line of the body's first line.
///
/// A body the parser rejects is still split, by PostgreSQL's scanner, and no
/// text is ever dropped: the statement holding the syntax error reaches the
/// server, which reports the real error and its position. An empty or
/// comment-only body has no statements.
std::vector<Statement> split_statements(const std::string& body, int first_line);

}  // namespace schemagate::sql
