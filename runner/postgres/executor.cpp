#include "postgres/executor.h"

#include <strings.h>

#include <cctype>

#include "engine/blocking_advice.h"
#include "engine/concurrent_index.h"
#include "postgres/connector.h"
#include "postgres/index_recovery.h"
#include "postgres/notice_log.h"
#include "engine/pause.h"
#include "postgres/server_error.h"
#include "postgres/statement_pipeline.h"
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

/// The first field of a one-row, one-column result.
std::optional<std::string> first_value(const pqxx::result& result) {
  if (result.size() != 1 || result.columns() != 1) return std::nullopt;
  return result[0][0].as<std::string>();
}

/// Whether a transactional body can go to the server as a pipeline: COPY
/// cannot (libpq refuses it in pipeline mode).
bool pipelinable(const sql::Analysis& analysis) {
  for (const sql::AnalyzedStatement& analyzed : analysis.statements) {
    const std::string& sql = analyzed.statement.sql;
    if (sql.size() >= 4 && strncasecmp(sql.c_str(), "COPY", 4) == 0 &&
        (sql.size() == 4 || !std::isalnum(static_cast<unsigned char>(sql[4])))) {
      return false;
    }
  }
  return true;
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
  if (!migration.transactional) {
    Status status = run_statements(map, migration, step, **body);
    reset_session();
    return status;
  }
  Result<sql::Analysis> analysis = sql::analyze_body(
      migration.path, (*body)->sql, (*body)->first_line, true, migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  if (!gate_ && pipelinable(*analysis)) {
    return run_pipelined_step(map, migration, step, *analysis, (*body)->first_line, durable);
  }
  Status status =
      run_transactional(map, migration, step, *analysis, (*body)->first_line, durable);
  reset_session();
  return status;
}

Status Executor::run_pipelined_step(const script::RevisionMap& map,
                                    const script::Migration& migration, const script::Step& step,
                                    const sql::Analysis& analysis, int first_line, bool durable) {
  const std::string started_at = engine::utc_timestamp_now();
  for (int attempt = 0;; ++attempt) {
    std::optional<Stopped> stopped =
        attempt_pipelined_step(map, migration, step, analysis, first_line, started_at, durable);
    if (!stopped) return {};
    // The transaction is open (aborted by the error, or not yet committed
    // when the version change's count was wrong), the session not reset.
    try {
      pqxx::nontransaction end(connection_);
      end.exec("ROLLBACK; RESET ALL; " + session_defaults_sql(connection_));
    } catch (const pqxx::sql_error& e) {
      log::debug("ROLLBACK failed", {{"error", e.what()}});
    }
    const pqxx::sql_error& error = stopped->error;
    if (error.sqlstate() == kLockNotAvailable && attempt < options_.lock_retries) {
      auto delay = options_.retry_backoff.delay(attempt, random_);
      log::warn("lock_timeout hit; the migration rolled back and will be retried",
                {{"revision", migration.revision.id}, {"line", stopped->line},
                 {"attempt", attempt + 1}, {"retry_in_ms", int64_t(delay.count())}});
      engine::pause(clock_, delay);
      continue;
    }
    return failed(migration, step, stopped->line, error, started_at, std::nullopt);
  }
}

std::optional<Executor::Stopped> Executor::attempt_pipelined_step(
    const script::RevisionMap& map, const script::Migration& migration, const script::Step& step,
    const sql::Analysis& analysis, int first_line, const std::string& started_at, bool durable) {
  PGconn* libpq = this->libpq();
  std::vector<std::string> statements = {
      "BEGIN",
      "SET LOCAL lock_timeout = " + std::to_string(options_.statement_lock_timeout.count())};
  if (!durable) statements.push_back("SET LOCAL synchronous_commit = off");
  const size_t body_start = statements.size();
  std::vector<RunningStatement> watched;
  for (const sql::AnalyzedStatement& analyzed : analysis.statements) {
    statements.push_back(analyzed.statement.sql);
    watched.push_back({migration.revision.id, location(migration, analyzed.statement.line),
                       analyzed.statement.sql});
  }
  // The version rows and the history row, as plain statements: in a
  // pipeline they cost no round trip, and each plans faster than the
  // data-modifying CTE that did it all in one.
  const std::vector<std::string> removed = map.ids(step.rows_removed);
  const std::vector<std::string> added = map.ids(step.rows_added);
  std::optional<size_t> counted;  // the statement whose row count must be removed.size()
  if (removed.size() == 1 && added.size() == 1) {
    counted = statements.size();
    statements.push_back(move_version_sql(store_.tables(), removed[0], added[0]));
  } else {
    if (!removed.empty()) {
      counted = statements.size();
      statements.push_back(delete_versions_sql(store_.tables(), removed));
    }
    if (!added.empty()) statements.push_back(insert_versions_sql(store_.tables(), added));
  }
  HistoryRecord record = history(migration, step, started_at, 0);
  record.duration_of_transaction = true;
  statements.push_back(insert_history_sql(store_.tables(), record));
  // Where an error is reported: its own statement's line; our own
  // statements' at the nearest line of the body.
  auto line_of = [&](size_t index) {
    if (index < body_start || analysis.statements.empty()) return first_line;
    size_t in_body = std::min(index - body_start, analysis.statements.size() - 1);
    return analysis.statements[in_body].statement.line;
  };
  auto watching = ProgressWatcher::watch(progress_, std::move(watched));
  PipelineOutcome ran = postgres::run_pipelined(libpq, statements);
  watching.reset();
  if (ran.error) return Stopped{*ran.error, line_of(ran.completed)};
  try {
    check_version_change(map, step,
                         std::to_string(counted ? ran.affected_rows[*counted] : int64_t{0}));
  } catch (const pqxx::sql_error& error) {
    return Stopped{error, line_of(statements.size() - 1)};
  }
  std::vector<std::string> end = {"COMMIT", "RESET ALL"};
  std::string defaults = session_defaults_sql(connection_);
  if (!defaults.empty()) end.push_back(defaults);
  PipelineOutcome ended = postgres::run_pipelined(libpq, end);
  if (ended.completed == 0) return Stopped{*ended.error, line_of(statements.size() - 1)};
  if (ended.error) {
    // Committed; only the reset failed.
    log::debug("RESET ALL failed", {{"error", ended.error->what()}});
    reset_session();
  }
  return std::nullopt;
}

Status Executor::run_transactional(const script::RevisionMap& map,
                                   const script::Migration& migration, const script::Step& step,
                                   const sql::Analysis& analysis, int first_line, bool durable) {
  const std::string started_at = engine::utc_timestamp_now();
  for (int attempt = 0;; ++attempt) {
    // Statement by statement in one transaction, so that an error the server
    // gives no position for (a constraint violation, a division by zero) is
    // still reported at its statement's line.
    int line = first_line;
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
      const size_t count = analysis.statements.size();
      for (size_t i = 0; i < count; ++i) {
        const sql::Statement& statement = analysis.statements[i].statement;
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
      check_version_change(map, step, first_value(moved));
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
      first_value(tx.exec(version_change_sql(
          store_.tables(), map.ids(step.rows_removed), map.ids(step.rows_added),
          history(migration, step, started_at, elapsed_ms(clock_, start))))));
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
                                    const std::optional<std::string>& removed) {
  if (!removed) throw pqxx::sql_error("the version change returned no row count", "", "XX000");
  if (*removed != std::to_string(step.rows_removed.size())) {
    throw_version_rows_moved(map.describe(step.rows_removed), *removed);
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
  const std::string message = engine::step_failure_message(
      migration, step.direction == Direction::kDown, where, line,
      "SQLSTATE " + error.sqlstate() + ": " + server.describe(), !attempt_id);
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

PGconn* Executor::libpq() {
  if (!libpq_) {
    pqxx::work probe(connection_);
    libpq_ = libpq_connection(probe);
    probe.abort();
  }
  return libpq_;
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
