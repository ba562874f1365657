#pragma once

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/database_settings.h"
#include "schemagate/common/clock.h"
#include "sql/body_analyzer.h"
#include "sqlite/connection.h"
#include "sqlite/lease_lock.h"
#include "sqlite/sqlite_dialect.h"

namespace schemagate::sqlite {

/// Runs steps on SQLite: a transactional step's statements, foreign key
/// check, version rows and history row in one `BEGIN IMMEDIATE` transaction;
/// a non-transactional one statement by statement, its started row saying
/// how far it got. Under a lease, every write transaction first renews it,
/// so nothing commits under a lease another runner took.
class Executor {
 public:
  /// `lease` is the lease the database's lock() handed out, null while none
  /// is held; it is read at each write transaction.
  Executor(Connection& connection, const engine::DatabaseSettings& settings,
           const engine::VersionTables& tables, const SqliteDialect& dialect, Clock& clock,
           LeaseLock* const& lease);

  /// `durable` needs nothing here: a SQLite commit is on disk when it
  /// returns (synchronous FULL, Debian's default).
  Status apply(const script::RevisionMap& map, const script::Migration& migration,
               const script::Step& step, bool durable);
  Status apply_repeatable(const script::Migration& migration);
  Status write_stamp(const std::vector<std::string>& removed, const std::vector<std::string>& added,
                     const std::vector<engine::HistoryRecord>& history);
  /// One history row in a transaction of its own.
  void record(const engine::HistoryRecord& record);

 private:
  /// BEGIN IMMEDIATE, and under a lease, the lease renewed in the same
  /// transaction.
  void begin_write();
  Status run_transactional(const script::RevisionMap& map, const script::Migration& migration,
                           const script::Step& step, const sql::Analysis& analysis);
  /// The step's statements, the foreign key check and `write_rows` in one
  /// write transaction, retried while the database stays busy; `kind`
  /// ("revision", "repeatable") names the step in messages.
  Status in_one_transaction(const script::Migration& migration, const script::Step& step,
                            const sql::Analysis& analysis, const std::string& started_at,
                            const char* kind, const std::function<void()>& write_rows);
  Status run_statements(const script::RevisionMap& map, const script::Migration& migration,
                        const script::Step& step, const sql::Analysis& analysis);
  /// One statement in autocommit, retried while the database is busy.
  void run_alone(const script::Migration& migration, const sql::Statement& statement);
  /// The version rows and history row of a step, in the open transaction;
  /// throws VersionRowsMoved when the rows are not where the step expects.
  void write_version_change(const script::RevisionMap& map, const script::Step& step,
                            const engine::HistoryRecord& record);
  /// Fails the open transaction when it leaves a row whose foreign key
  /// points nowhere: foreign keys are off on the migration connection (as
  /// the table rebuild needs), so they are checked before each commit.
  void check_foreign_keys();
  engine::HistoryRecord history(const script::Migration& migration, const script::Step& step,
                                const std::string& started_at) const;
  Error failed(const script::Migration& migration, const script::Step& step,
               const sql::Statement* statement, const SqliteError& error,
               const std::string& started_at, std::optional<int64_t> attempt_id);

  Connection& connection_;
  const engine::DatabaseSettings& settings_;
  const engine::VersionTables& tables_;
  const SqliteDialect& dialect_;
  Clock& clock_;
  LeaseLock* const& lease_;
  std::mt19937_64 random_;
};

}  // namespace schemagate::sqlite
