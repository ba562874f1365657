#include "postgres/executor.h"

#include "engine/blocking_advice.h"
#include "engine/concurrent_index.h"
#include "postgres/connector.h"
#include "postgres/index_recovery.h"
#include "postgres/notice_log.h"
#include "engine/pause.h"
#include "postgres/server_error.h"
#include "schemagate/common/logging.h"
#include "sql/body_analyzer.h"

namespace schemagate::postgres {

using engine::pause;

namespace {

using script::Direction;

constexpr const char* kLockNotAvailable = "55P03";

const char* direction_name(Direction direction) {
  return direction == Direction::kUp ? "up" : "down";
}

int64_t elapsed_ms(Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start).count();
}

std::string location(const script::Migration& migration, int line) {
  return migration.path + ":" + std::to_string(line);
}

/// The started row's text while the attempt runs: what the next run reports
/// when this runner dies. "(backend pid N)" tells an attempt under way from a
/// dead one (version_store.cpp).
std::string progress_note(const std::string& applied_by, int backend_pid,
                          const std::string& started_at, const std::string& done_through) {
  return "interrupted: started at " + started_at + " by " + applied_by + " (backend pid " +
         std::to_string(backend_pid) + ") and did not finish; " + done_through;
}

}  // namespace

Executor::Executor(pqxx::connection& connection, VersionStore& store,
                   engine::ExecutorOptions options, StatementGate gate, Clock& clock,
                   ProgressWatcher* progress)
    : connection_(connection),
      store_(store),
      options_(std::move(options)),
      gate_(std::move(gate)),
      clock_(clock),
      progress_(progress),
      random_(std::random_device{}()) {}

Status Executor::run(const script::RevisionMap& map, const script::Migration& migration,
                     const script::Step& step, bool durable) {
  Result<const script::Body*> body = script::body_for(migration, step.direction == Direction::kDown);
  if (!body) return body.error();
  NoticeLog notices(connection_, migration.revision.id);
  Status status = migration.transactional ? run_transactional(map, migration, step, **body, durable)
                                          : run_statements(map, migration, step, **body);
  reset_session();
  return status;
}

Status Executor::run_transactional(const script::RevisionMap& map,
                                   const script::Migration& migration, const script::Step& step,
                                   const script::Body& body, bool durable) {
  Result<sql::Analysis> analysis = sql::analyze_body(migration.path, body.sql, body.first_line,
                                                     true, migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  const std::string started_at = engine::utc_timestamp_now();
  for (int attempt = 0;; ++attempt) {
    // Statement by statement in one transaction, so that an error the server
    // gives no position for (a constraint violation, a division by zero) is
    // still reported at its statement's line.
    int line = body.first_line;
    try {
      pqxx::work tx(connection_);
      tx.exec("SET LOCAL lock_timeout = " +
              std::to_string(options_.statement_lock_timeout.count()) +
              (durable ? "" : "; SET LOCAL synchronous_commit = off"));
      // The version change goes with the last statement: one round trip
      // fewer per step. It follows the statement, so a server error position
      // in the statement still maps to its line.
      HistoryRecord record = history(migration, step, started_at, 0);
      record.duration_of_transaction = true;
      const std::string change = version_change_sql(store_.tables(), map.ids(step.rows_removed),
                                                    map.ids(step.rows_added), record);
      pqxx::result moved;
      const size_t count = analysis->statements.size();
      for (size_t i = 0; i < count; ++i) {
        const sql::Statement& statement = analysis->statements[i].statement;
        line = statement.line;
        if (gate_) {
          Status clear = gate_(tx, migration, statement);
          if (!clear) return clear;
        }
        auto watching = ProgressWatcher::watch(
            progress_, {migration.revision.id, location(migration, line), statement.sql});
        if (i + 1 < count) {
          tx.exec(statement.sql);
        } else {
          moved = tx.exec(statement.sql + "\n;\n" + change);
        }
      }
      if (count == 0) moved = tx.exec(change);
      check_version_change(map, step, moved);
      tx.commit();
      return {};
    } catch (const pqxx::sql_error& error) {
      if (error.sqlstate() == kLockNotAvailable && attempt < options_.lock_retries) {
        auto delay = options_.retry_backoff.delay(attempt, random_);
        log::warn("lock_timeout hit; the migration rolled back and will be retried",
                  {{"revision", migration.revision.id}, {"line", line},
                   {"attempt", attempt + 1}, {"retry_in_ms", int64_t(delay.count())}});
        engine::pause(clock_, delay);
        continue;
      }
      return failed(migration, step, line, error, started_at, std::nullopt);
    }
  }
}

Status Executor::run_statements(const script::RevisionMap& map, const script::Migration& migration,
                                const script::Step& step, const script::Body& body) {
  Result<sql::Analysis> analysis =
      sql::analyze_body(migration.path, body.sql, body.first_line, false);
  if (!analysis) return analysis.error();
  const std::string started_at = engine::utc_timestamp_now();
  const auto start = clock_.now();
  HistoryRecord started = history(migration, step, started_at, 0);
  started.outcome = "failed";
  started.blocking = true;
  started.error = progress_note(options_.applied_by, connection_.backendpid(), started_at,
                                "no statement had finished");
  const int64_t attempt_id = store_.record_attempt(started);
  {
    pqxx::nontransaction session(connection_);
    session.exec("SET lock_timeout = " + std::to_string(options_.statement_lock_timeout.count()));
  }
  const size_t total = analysis->statements.size();
  for (size_t i = 0; i < total; ++i) {
    const sql::Statement& statement = analysis->statements[i].statement;
    Status ran = run_outside_transaction(migration, step, statement, attempt_id, started_at);
    if (!ran) return ran;
    store_.note_attempt(attempt_id,
                        progress_note(options_.applied_by, connection_.backendpid(), started_at,
                                      "statements 1-" + std::to_string(i + 1) + " of " +
                                          std::to_string(total) + " finished, through line " +
                                          std::to_string(statement.line) + " of " +
                                          migration.path));
  }
  pqxx::work tx(connection_);
  check_version_change(
      map, step,
      tx.exec(version_change_sql(store_.tables(), map.ids(step.rows_removed),
                                 map.ids(step.rows_added),
                                 history(migration, step, started_at, elapsed_ms(clock_, start)))));
  store_.finish_attempt(tx, attempt_id, migration.revision.id);
  tx.commit();
  return {};
}

Status Executor::run_outside_transaction(const script::Migration& migration,
                                         const script::Step& step,
                                         const sql::Statement& statement, int64_t attempt_id,
                                         const std::string& started_at) {
  const std::string where = location(migration, statement.line);
  const std::optional<engine::ConcurrentIndex> index = engine::concurrent_index_of(statement.sql);
  for (int attempt = 0;; ++attempt) {
    try {
      if (index) {
        // A timed-out or interrupted build leaves an INVALID index under the
        // name: without this every retry fails with 42P07.
        Result<IndexBefore> before = prepare_concurrent_index(connection_, *index, where);
        if (!before) return failed_check(migration, step, before.error(), attempt_id);
        if (*before == IndexBefore::kAlreadyBuilt) return {};
      }
      if (gate_) {
        pqxx::nontransaction check(connection_);
        Status clear = gate_(check, migration, statement);
        if (!clear) return failed_check(migration, step, clear.error(), attempt_id);
      }
      {
        auto watching =
            ProgressWatcher::watch(progress_, {migration.revision.id, where, statement.sql});
        pqxx::nontransaction run(connection_);
        run.exec(statement.sql);
      }
      if (index) {
        Status valid = check_index_valid(connection_, *index, where);
        if (!valid) return failed_check(migration, step, valid.error(), attempt_id);
      }
      return {};
    } catch (const pqxx::sql_error& error) {
      if (error.sqlstate() == kLockNotAvailable && attempt < options_.lock_retries) {
        auto delay = options_.retry_backoff.delay(attempt, random_);
        log::warn("lock_timeout hit; retrying the statement",
                  {{"revision", migration.revision.id}, {"line", statement.line},
                   {"attempt", attempt + 1}, {"retry_in_ms", int64_t(delay.count())}});
        engine::pause(clock_, delay);
        continue;
      }
      return failed(migration, step, statement.line, error, started_at, attempt_id);
    }
  }
}

void Executor::check_version_change(const script::RevisionMap& map, const script::Step& step,
                                    const pqxx::result& moved) {
  if (moved.size() != 1 || moved.columns() != 1) {
    throw pqxx::sql_error("the version change returned no row count", "", "XX000");
  }
  const pqxx::row removed = moved[0];
  if (removed[0].as<size_t>() != step.rows_removed.size()) {
    throw_version_rows_moved(map.describe(step.rows_removed), removed[0].as<std::string>());
  }
}

HistoryRecord Executor::history(const script::Migration& migration, const script::Step& step,
                                const std::string& started_at, int64_t duration_ms) const {
  HistoryRecord record = engine::succeeded_record(migration.revision.id, direction_name(step.direction),
                                          migration.checksum(), options_.applied_by);
  record.started_at = started_at;
  record.duration_ms = duration_ms;
  return record;
}

Error Executor::failed(const script::Migration& migration, const script::Step& step,
                       int first_line, const pqxx::sql_error& error, const std::string& started_at,
                       std::optional<int64_t> attempt_id) {
  ServerError server = parse_server_error(error.what());
  int line = server.line > 0 ? first_line + server.line - 1 : first_line;
  std::string where = location(migration, line);
  std::string message = where + ": " + direction_name(step.direction) + " of revision " +
                        migration.revision.id + " (" + migration.revision.message +
                        ") failed: SQLSTATE " + error.sqlstate() + ": " + server.describe();
  if (attempt_id) {
    message += ". It is not transactional: statements before line " + std::to_string(line) +
               " stay applied. " +
               engine::blocking_advice(migration, step.direction == Direction::kDown, line);
  } else {
    message += ". Its transaction was rolled back: the database is at the previous revision";
  }
  const std::string recorded = server.describe() + " (" + where + ")";
  try {
    if (attempt_id) {
      store_.note_attempt(*attempt_id, recorded);
    } else {
      HistoryRecord record = history(migration, step, started_at, 0);
      record.outcome = "failed";
      record.error = recorded;
      store_.record(record);
    }
  } catch (const std::exception& e) {
    log::error("could not record the failure in the history table", {{"error", e.what()}});
  }
  return Error(ErrorCode::kMigrationFailed, message);
}

Error Executor::failed_check(const script::Migration& migration, const script::Step& step,
                             const Error& error, int64_t attempt_id) {
  try {
    store_.note_attempt(attempt_id, error.message());
  } catch (const std::exception& e) {
    log::error("could not record the failure in the history table", {{"error", e.what()}});
  }
  return Error(error.code(), error.message() + " (" + direction_name(step.direction) +
                                 " of revision " + migration.revision.id + ")");
}

void Executor::reset_session() {
  // A migration's SET (search_path, timezone, lock_timeout) must not leak
  // into the next one.
  try {
    pqxx::nontransaction reset(connection_);
    reset.exec("RESET ALL; " + session_defaults_sql(connection_));
  } catch (const std::exception& e) {
    log::debug("RESET ALL failed", {{"error", e.what()}});
  }
}

}  // namespace schemagate::postgres
