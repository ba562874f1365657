#pragma once

#include <string>
#include <vector>

#include "engine/sql_dialect.h"

namespace schemagate::sqlite {

/// The bookkeeping as SQLite writes it: the same two tables as on
/// PostgreSQL (version_num rows as Alembic keeps them, the history), with
/// SQLite's types; `--sql` prints it for the sqlite3 shell. The tables live
/// in the main database: SQLite has no schemas (sqlite_tables()).
class SqliteDialect : public engine::SqlDialect {
 public:
  std::string create_tables(const engine::VersionTables& tables) const override;
  std::string allow_repeat_direction(const engine::VersionTables&) const override { return ""; }
  std::string delete_versions(const engine::VersionTables& tables,
                              const std::vector<std::string>& removed) const override;
  std::string insert_versions(const engine::VersionTables& tables,
                              const std::vector<std::string>& added) const override;
  std::string insert_history(const engine::VersionTables& tables,
                             const engine::HistoryRecord& record) const override;
  /// Takes the write lock at once: a script run beside a runner waits for
  /// it instead of failing halfway with SQLITE_BUSY.
  std::string begin() const override { return "BEGIN IMMEDIATE"; }
  /// SQLite's own split and checks (body_analysis.h).
  Result<sql::Analysis> analyze_body(const std::string& path, const std::string& body,
                                     int first_line, bool transactional,
                                     bool wrapped_transaction) const override;

  /// The lease row the runners' lock lives in (lease_lock.h).
  std::string create_lease_table(const engine::VersionTables& tables) const;
};

/// `tables` placed in SQLite's main database: the schema schemagate.yaml
/// names (PostgreSQL's `public` by default) has no meaning there.
engine::VersionTables sqlite_tables(engine::VersionTables tables);

}  // namespace schemagate::sqlite
