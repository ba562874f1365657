#pragma once

#include <memory>
#include <optional>
#include <random>
#include <string>

#include <pqxx/pqxx>

#include "engine/database.h"
#include "engine/database_settings.h"
#include "postgres/executor.h"
#include "postgres/progress_watcher.h"
#include "postgres/version_sql.h"
#include "postgres/version_store.h"
#include "schemagate/common/clock.h"

namespace schemagate::postgres {

/// The PostgreSQL engine: one libpq connection, the version store on it,
/// the advisory or lease lock, the executor with its progress watcher and
/// CREATE INDEX CONCURRENTLY recovery. What only PostgreSQL has (the
/// statement gate of --safety-checks, the catalog of lint and schema
/// commands) is reached through connection() by the code in this directory.
class PostgresDatabase : public engine::Database {
 public:
  /// Connects (waiting for the server up to settings.wait_for_db, unless
  /// `stop` is requested first).
  static Result<std::unique_ptr<PostgresDatabase>> open(const engine::DatabaseSettings& settings,
                                                        Clock& clock,
                                                        const StopSignal* stop = nullptr);
  /// Over a connection someone else owns (a scratch database).
  static std::unique_ptr<PostgresDatabase> over(pqxx::connection& connection,
                                                const engine::DatabaseSettings& settings,
                                                Clock& clock);

  Status guard(const std::function<Status()>& work) override;
  const engine::VersionTables& tables() const override { return store_->tables(); }
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

  pqxx::connection& connection() { return session(); }
  /// Checks each migration statement before it runs (--safety-checks).
  void set_statement_gate(StatementGate gate) {
    gate_ = std::move(gate);
    executor_.reset();
  }

 private:
  PostgresDatabase(const engine::DatabaseSettings& settings, Clock& clock)
      : settings_(settings), clock_(clock), random_(std::random_device{}()) {}
  /// The connection, once its session settings are sent: by the first
  /// read_state, with its query, else here, in a round trip of their own.
  pqxx::connection& session();
  /// A migration's SET (search_path, timezone, lock_timeout) must not leak
  /// into the next one.
  void reset_session();
  /// Whether the connection goes through a pooler (locks.h), found once and
  /// announced when it changes the lock taken.
  bool pooled();

  engine::DatabaseSettings settings_;
  Clock& clock_;
  std::mt19937_64 random_;
  int backend_pid_ = 0;  ///< as the server announced it, to explain its loss
  std::unique_ptr<pqxx::connection> owned_;
  pqxx::connection* connection_ = nullptr;
  std::unique_ptr<VersionStore> store_;
  /// session_defaults_sql() not yet sent: a run at head connects and sends
  /// one query, with these in front.
  std::string owed_settings_;
  PostgresDialect dialect_;
  StatementGate gate_;
  std::unique_ptr<ProgressWatcher> watcher_;  ///< made at the first step
  std::unique_ptr<Executor> executor_;        ///< made at the first step
  bool repeat_direction_allowed_ = false;
  std::optional<bool> pooled_;
};

/// The PostgreSQL connection behind `database`, for the PostgreSQL-only
/// commands; null for another engine.
PostgresDatabase* as_postgres(engine::Database& database);

}  // namespace schemagate::postgres
