#pragma once

#include <string>
#include <vector>

#include "sql/statement_splitter.h"

namespace schemagate::sqlite {

/// Splits a migration body into SQLite statements, as SQLite's own shell
/// does: a statement ends at a `;` where sqlite3_complete() says the text so
/// far is complete, so `;` in strings, quoted names, comments and a
/// trigger's BEGIN ... END never splits. PostgreSQL's parser is not used:
/// SQLite's grammar is its own (`[brackets]`, backticks, no dollar quotes).
///
/// The same slices as sql::split_statements: leading blanks and comments
/// and the terminating `;` left out, `line` the file line (`first_line` is
/// the body's first). Text after the last `;` is a statement of its own,
/// complete or not, so SQLite reports what is wrong with it; nothing is
/// dropped. An empty or comment-only body has no statements.
std::vector<sql::Statement> split_statements(const std::string& body, int first_line);

}  // namespace schemagate::sqlite
