#pragma once

#include <string>

namespace schemagate::sql {

/// What a statement means for the transaction it runs in.
enum class StatementKind {
  kOrdinary,
  /// BEGIN, START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, SAVEPOINT, RELEASE,
  /// PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED. PL/pgSQL's BEGIN ... END
  /// in a function body or DO block is not: it is inside a string.
  kTransactionControl,
  /// Refused by the server inside a transaction block: CREATE/DROP INDEX
  /// CONCURRENTLY, REINDEX CONCURRENTLY, REINDEX SCHEMA/DATABASE/SYSTEM,
  /// VACUUM, CREATE/DROP DATABASE, CREATE/DROP TABLESPACE, ALTER SYSTEM.
  /// (ALTER TYPE ... ADD VALUE runs in a transaction since PostgreSQL 12.)
  kNoTransactionBlock,
};

struct Classification {
  StatementKind kind = StatementKind::kOrdinary;
  /// For the flagged kinds, the command as users spell it, for messages
  /// ("CREATE INDEX CONCURRENTLY", "ROLLBACK"); empty for ordinary statements.
  std::string command;
};

/// Classifies one statement (as split_statements returns it) from
/// PostgreSQL's parse tree. A statement the parser rejects is ordinary: its
/// syntax error is the server's to report; so is one too large or too deeply
/// nested to analyze here (more than a few MB, or beyond read_parse_tree's depth),
/// which the server refuses by itself where it cannot run.
Classification classify_statement(const std::string& statement);

}  // namespace schemagate::sql
