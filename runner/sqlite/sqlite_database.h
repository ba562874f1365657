#pragma once

#include <map>
#include <memory>
#include <string>

#include "engine/database.h"
#include "engine/database_settings.h"
#include "schemagate/common/clock.h"
#include "sqlite/connection.h"
#include "sqlite/executor.h"
#include "sqlite/lease_lock.h"
#include "sqlite/sqlite_dialect.h"

namespace schemagate::sqlite {

/// The SQLite engine: one connection to the database file, a lease row as
/// the migration lock (lease_lock.h), each transactional step in one
/// `BEGIN IMMEDIATE` transaction with its version rows and history row
/// (executor.h). Statements are split by SQLite's rules
/// (statement_splitter.h) and run with its prepare loop; an error's offset
/// maps to the file line.
class SqliteDatabase : public engine::Database {
 public:
  /// Opens the file of settings.url (a sqlite:/// URL), creating it when
  /// missing. Exit 3 when it cannot be opened.
  static Result<std::unique_ptr<SqliteDatabase>> open(const engine::DatabaseSettings& settings,
                                                      Clock& clock);

  Status guard(const std::function<Status()>& work) override;
  const engine::VersionTables& tables() const override { return tables_; }
  const engine::SqlDialect& dialect() const override { return dialect_; }
  Result<std::unique_ptr<engine::MigrationLock>> lock(std::chrono::milliseconds timeout) override;
  engine::StoredState read_state() override;
  std::map<std::string, std::string> recorded_checksums() override;
  std::vector<engine::ForeignTable> foreign_tables() override;
  std::vector<size_t> existing_objects(const std::vector<sql::CreatedObject>& objects) override;
  void ensure_tables() override;
  Status apply(const script::RevisionMap& map, const script::Migration& migration,
               const script::Step& step, bool durable) override;
  Status apply_repeatable(const script::Migration& migration) override;
  Status write_stamp(const std::vector<std::string>& removed, const std::vector<std::string>& added,
                     const std::vector<engine::HistoryRecord>& history) override;
  void record(const engine::HistoryRecord& record) override;
  int clear_blocking_failures() override;

  Connection& connection() { return *connection_; }

 private:
  SqliteDatabase(const engine::DatabaseSettings& settings, Clock& clock);

  bool table_exists(const std::string& name);

  engine::DatabaseSettings settings_;
  engine::VersionTables tables_;
  Clock& clock_;
  std::unique_ptr<Connection> connection_;
  SqliteDialect dialect_;
  LeaseLock* lease_ = nullptr;  ///< the lock lock() handed out, while it lives
  std::unique_ptr<Executor> executor_;
  bool tables_known_ = false;
};

/// The SQLite engine behind `database`, for what only it reads (another
/// tool's table on adoption); null for another engine.
SqliteDatabase* as_sqlite(engine::Database& database);

/// Opens the SQLite engine as an engine::Database.
Result<std::unique_ptr<engine::Database>> open_database(const engine::DatabaseSettings& settings,
                                                        Clock& clock);

}  // namespace schemagate::sqlite
