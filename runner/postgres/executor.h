#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include <libpq-fe.h>
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
#include "sql/body_analyzer.h"
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
///
/// A transactional step goes to the server in two round trips, whatever
/// its length (statement_pipeline.h): BEGIN, the SET LOCALs, the body's
/// statements and the version change in one; COMMIT and the session reset
/// in the other, once the version change's row count is checked. With a
/// statement gate, or a COPY in the body, it runs statement by statement.
/// One Executor serves a connection for as long as it lives.
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
  /// What stopped an attempt at a pipelined step, and the file line of the
  /// statement it is reported at.
  struct Stopped {
    pqxx::sql_error error;
    int line;
  };

  Status run_pipelined_step(const script::RevisionMap& map, const script::Migration& migration,
                            const script::Step& step, const sql::Analysis& analysis,
                            int first_line, bool durable);
  /// One attempt: commits the step and resets the session, or stops at the
  /// first error with the transaction still open (aborted or not).
  std::optional<Stopped> attempt_pipelined_step(const script::RevisionMap& map,
                                                const script::Migration& migration,
                                                const script::Step& step,
                                                const sql::Analysis& analysis, int first_line,
                                                const std::string& started_at, bool durable);
  /// Statement by statement, each a round trip: what the statement gate
  /// needs (it looks before each statement) and COPY (no pipeline takes it).
  Status run_transactional(const script::RevisionMap& map, const script::Migration& migration,
                           const script::Step& step, const sql::Analysis& analysis,
                           int first_line, bool durable);
  Status run_statements(const script::RevisionMap& map, const script::Migration& migration,
                        const script::Step& step, const script::Body& body);
  /// One statement of a non-transactional step, retried after lock_timeout
  /// (a CREATE INDEX CONCURRENTLY's leftover dropped first).
  Status run_outside_transaction(const script::Migration& migration, const script::Step& step,
                                 const sql::Statement& statement, int64_t attempt_id,
                                 const std::string& started_at);
  /// Throws when `removed` (how many version rows the step's change
  /// removed, as the server counted them) is not the number it expected.
  void check_version_change(const script::RevisionMap& map, const script::Step& step,
                            const std::optional<std::string>& removed);
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
  /// The libpq connection under connection_, found at the first pipelined
  /// step (one BEGIN and ROLLBACK).
  PGconn* libpq();

  pqxx::connection& connection_;
  PGconn* libpq_ = nullptr;
  VersionStore& store_;
  engine::ExecutorOptions options_;
  StatementGate gate_;
  Clock& clock_;
  ProgressWatcher* progress_;
  std::mt19937_64 random_;
};

}  // namespace schemagate::postgres
