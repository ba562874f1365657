#pragma once

#include <string>
#include <vector>

#include "schemagate/common/result.h"
#include "sql/statement_classifier.h"
#include "sql/statement_splitter.h"

namespace schemagate::sql {

struct AnalyzedStatement {
  Statement statement;
  StatementKind kind = StatementKind::kOrdinary;
};

/// A migration body, split and checked: what the engine runs.
struct Analysis {
  /// In body order, without the BEGIN/COMMIT of a wrapped transaction; empty
  /// for an empty body.
  std::vector<AnalyzedStatement> statements;
  /// The body to send as one query: the body itself, or, for a wrapped
  /// transaction, the body with its opening BEGIN and closing COMMIT blanked
  /// out (newlines and character positions kept, so a server error position
  /// still maps to the right file line).
  std::string runnable_sql;
};

/// Splits and checks one body (the up or down section of `path`, whose first
/// line is file line `first_line`) without a database. Refused, with
/// ErrorCode::kInvalid and `path:line: ...` naming the first offence:
/// - a NUL byte, which would silently cut the SQL short where it stands;
/// - a psql meta-command (`\set`, `\i`): schemagate runs plain SQL;
/// - transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...), in any
///   migration: it would break the atomicity schemagate promises;
/// - in a `transactional` migration, a statement that cannot run inside a
///   transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...).
/// With `wrapped_transaction` (a transactional migration imported from a tool
/// that let files open their own transaction), the body may open with one
/// BEGIN / START TRANSACTION and close with one COMMIT / END; both or neither.
/// They are dropped, so the body runs inside schemagate's own transaction.
/// A syntax error is not refused here: the server reports it with a position
/// that the engine maps back to the file line.
Result<Analysis> analyze_body(const std::string& path, const std::string& body, int first_line,
                              bool transactional, bool wrapped_transaction = false);

}  // namespace schemagate::sql
