#pragma once

#include <string>

#include "schemagate/common/result.h"
#include "sql/body_analyzer.h"

namespace schemagate::sqlite {

/// sql::analyze_body for SQLite: split with SQLite's own completeness test
/// (statement_splitter.h) and checked without a database. Refused, with
/// ErrorCode::kInvalid and `path:line: ...` naming the first offence:
/// - a NUL byte, which would cut the SQL short where it stands;
/// - transaction control (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE):
///   the runner owns the transactions;
/// - in a `transactional` migration, what SQLite cannot do inside one:
///   VACUUM, and `PRAGMA foreign_keys` / `legacy_alter_table` /
///   `journal_mode`, which a transaction silently ignores (the table
///   rebuild's "PRAGMA foreign_keys = OFF" is the classic trap).
/// With `wrapped_transaction`, one opening BEGIN and one closing COMMIT/END
/// are dropped instead, as on PostgreSQL.
Result<sql::Analysis> analyze_body(const std::string& path, const std::string& body,
                                   int first_line, bool transactional,
                                   bool wrapped_transaction = false);

}  // namespace schemagate::sqlite
