#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include <pqxx/pqxx>

#include "postgres/progress_watcher.h"
#include "postgres/version_store.h"
#include "engine/database.h"
#include "schemagate/common/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "script/migration.h"
#include "script/planner.h"
#include "script/revision_map.h"
#include "sql/statement_splitter.h"

namespace schemagate::postgres {

/// Called just before each migration statement runs, on `tx` (the
/// migration's own transaction, or a nontransaction outside one): an error
/// stops the migration there, as a failure of that statement would, and
/// nothing of a transactional one stays. Empty: no check (upgrade
/// --safety-checks sets it).
using StatementGate = std::function<Status(pqxx::transaction_base& tx,
                                           const script::Migration& migration,
                                           const sql::Statement& statement)>;

/// Runs one planned step against the database. A transactional step commits
/// its SQL, its version row changes and its history row in one transaction;
/// a failure rolls all of it back and records the failure. A
/// non-transactional step first commits a blocking "started" history row,
/// then runs statement by statement, noting its progress in that row; the
/// version change removes it. A runner killed midway leaves it, so the next
/// run knows how far the attempt got. A CREATE INDEX CONCURRENTLY is made
/// safe to repeat (index_recovery.h) and checked valid after it ran.
class Executor {
 public:
  /// `progress` (may be null) reports statements that run long.
  Executor(pqxx::connection& connection, VersionStore& store, engine::ExecutorOptions options,
           StatementGate gate, Clock& clock, ProgressWatcher* progress = nullptr);

  /// `durable`: the step's commit waits for the WAL to reach disk. A plan
  /// commits every step but its last asynchronously and the last durably:
  /// that commit flushes the WAL of all before it, so success is reported
  /// only once everything is on disk, and a crash loses at most a suffix of
  /// whole steps (each with its version rows).
  Status run(const script::RevisionMap& map, const script::Migration& migration,
             const script::Step& step, bool durable = true);

 private:
  Status run_transactional(const script::RevisionMap& map, const script::Migration& migration,
                           const script::Step& step, const script::Body& body, bool durable);
  Status run_statements(const script::RevisionMap& map, const script::Migration& migration,
                        const script::Step& step, const script::Body& body);
  /// One statement of a non-transactional step, retried after lock_timeout
  /// (a CREATE INDEX CONCURRENTLY's leftover dropped first).
  Status run_outside_transaction(const script::Migration& migration, const script::Step& step,
                                 const sql::Statement& statement, int64_t attempt_id,
                                 const std::string& started_at);
  /// Moves the version rows and writes the history row in one statement,
  /// checking that every row expected to move was there.
  /// Throws when `moved` (version_change_sql's result) did not remove
  /// exactly the rows the step expected.
  void check_version_change(const script::RevisionMap& map, const script::Step& step,
                            const pqxx::result& moved);
  HistoryRecord history(const script::Migration& migration, const script::Step& step,
                        const std::string& started_at, int64_t duration_ms) const;
  /// Records the failure and builds the error: file and line (from the
  /// server's error position in the statement that started at
  /// `first_line`), SQLSTATE, message, DETAIL and HINT, and what the
  /// database looks like now. A non-transactional step's failure goes into
  /// its started row `attempt_id`.
  Error failed(const script::Migration& migration, const script::Step& step, int first_line,
               const pqxx::sql_error& error, const std::string& started_at,
               std::optional<int64_t> attempt_id);
  /// The same for an error found by schemagate (an INVALID index).
  Error failed_check(const script::Migration& migration, const script::Step& step,
                     const Error& error, int64_t attempt_id);
  void reset_session();

  pqxx::connection& connection_;
  VersionStore& store_;
  engine::ExecutorOptions options_;
  StatementGate gate_;
  Clock& clock_;
  ProgressWatcher* progress_;
  std::mt19937_64 random_;
};

}  // namespace schemagate::postgres
