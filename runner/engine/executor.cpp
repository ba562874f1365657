#include "engine/executor.h"

#include "engine/connector.h"
#include "engine/pause.h"
#include "engine/server_error.h"
#include "schemagate/common/logging.h"
#include "sql/body_analyzer.h"

namespace schemagate::engine {
namespace {

using script::Direction;

constexpr const char* kLockNotAvailable = "55P03";

const char* direction_name(Direction direction) {
  return direction == Direction::kUp ? "up" : "down";
}

bool is_blank(const std::string& sql) {
  return script::normalize_body(sql).empty();
}

int64_t elapsed_ms(Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start).count();
}

}  // namespace

Executor::Executor(pqxx::connection& connection, VersionStore& store, ExecutorOptions options,
                   Clock& clock)
    : connection_(connection),
      store_(store),
      options_(std::move(options)),
      clock_(clock),
      random_(std::random_device{}()) {}

Status Executor::run(const script::RevisionMap& map, const script::Migration& migration,
                     const script::Step& step) {
  Result<const script::Body*> body = script::body_for(migration, step.direction == Direction::kDown);
  if (!body) return body.error();
  Status status = migration.transactional ? run_transactional(map, migration, step, **body)
                                          : run_statements(map, migration, step, **body);
  reset_session();
  return status;
}

Status Executor::run_transactional(const script::RevisionMap& map,
                                   const script::Migration& migration, const script::Step& step,
                                   const script::Body& body) {
  // A wrapped body's own BEGIN/COMMIT would end this transaction early.
  std::string text = body.sql;
  if (migration.wrapped_transaction) {
    Result<sql::Analysis> analysis =
        sql::analyze_body(migration.path, body.sql, body.first_line, true, true);
    if (!analysis) return analysis.error();
    text = std::move(analysis->runnable_sql);
  }
  const std::string started_at = utc_timestamp_now();
  const auto start = clock_.now();
  for (int attempt = 0;; ++attempt) {
    try {
      pqxx::work tx(connection_);
      // One round trip: the SET shares the body's first line, so the
      // server's LINE numbers still count from the body's first line.
      tx.exec("SET LOCAL lock_timeout = " +
              std::to_string(options_.statement_lock_timeout.count()) + "; " +
              (is_blank(text) ? std::string() : text));
      write_version_change(tx, map, step,
                           history(migration, step, started_at, elapsed_ms(clock_, start)));
      tx.commit();
      return {};
    } catch (const pqxx::sql_error& error) {
      if (error.sqlstate() == kLockNotAvailable && attempt < options_.lock_retries) {
        auto delay = options_.retry_backoff.delay(attempt, random_);
        log::warn("lock_timeout hit; the migration rolled back and will be retried",
                  {{"revision", migration.revision.id}, {"attempt", attempt + 1},
                   {"retry_in_ms", int64_t(delay.count())}});
        pause(clock_, delay);
        continue;
      }
      return failed(migration, step, body.first_line, error, started_at, false);
    }
  }
}

Status Executor::run_statements(const script::RevisionMap& map, const script::Migration& migration,
                                const script::Step& step, const script::Body& body) {
  Result<sql::Analysis> analysis =
      sql::analyze_body(migration.path, body.sql, body.first_line, false);
  if (!analysis) return analysis.error();
  const std::string started_at = utc_timestamp_now();
  const auto start = clock_.now();
  {
    pqxx::nontransaction session(connection_);
    session.exec("SET lock_timeout = " + std::to_string(options_.statement_lock_timeout.count()));
  }
  for (const sql::AnalyzedStatement& analyzed : analysis->statements) {
    const sql::Statement& statement = analyzed.statement;
    for (int attempt = 0;; ++attempt) {
      try {
        pqxx::nontransaction run(connection_);
        run.exec(statement.sql);
        break;
      } catch (const pqxx::sql_error& error) {
        if (error.sqlstate() == kLockNotAvailable && attempt < options_.lock_retries) {
          auto delay = options_.retry_backoff.delay(attempt, random_);
          log::warn("lock_timeout hit; retrying the statement",
                    {{"revision", migration.revision.id}, {"line", statement.line},
                     {"attempt", attempt + 1}});
          pause(clock_, delay);
          continue;
        }
        // Statements before this one stay applied: block until a person looks.
        return failed(migration, step, statement.line, error, started_at, true);
      }
    }
  }
  pqxx::work tx(connection_);
  write_version_change(tx, map, step,
                       history(migration, step, started_at, elapsed_ms(clock_, start)));
  tx.commit();
  return {};
}

void Executor::write_version_change(pqxx::transaction_base& tx, const script::RevisionMap& map,
                                    const script::Step& step, const HistoryRecord& record) {
  pqxx::row removed = tx.exec1(version_change_sql(store_.tables(), map.ids(step.rows_removed),
                                                  map.ids(step.rows_added), record));
  if (removed[0].as<size_t>() != step.rows_removed.size()) {
    // Another writer changed the rows under us: abort rather than guess.
    throw pqxx::sql_error("version rows changed concurrently: expected to move " +
                              map.describe(step.rows_removed) + ", found " +
                              removed[0].as<std::string>(),
                          "", "40001");
  }
}

HistoryRecord Executor::history(const script::Migration& migration, const script::Step& step,
                                const std::string& started_at, int64_t duration_ms) const {
  HistoryRecord record = succeeded_record(migration.revision.id, direction_name(step.direction),
                                          migration.checksum(), options_.applied_by);
  record.started_at = started_at;
  record.duration_ms = duration_ms;
  return record;
}

Error Executor::failed(const script::Migration& migration, const script::Step& step,
                       int first_line, const pqxx::sql_error& error, const std::string& started_at,
                       bool blocking) {
  ServerError server = parse_server_error(error.what());
  int line = server.line > 0 ? first_line + server.line - 1 : first_line;
  std::string where = migration.path + ":" + std::to_string(line);
  std::string message = where + ": " + direction_name(step.direction) + " of revision " +
                        migration.revision.id + " (" + migration.revision.message +
                        ") failed: SQLSTATE " + error.sqlstate() + ": " + server.message;
  if (blocking) {
    message += ". It is not transactional: statements before this one stay applied. Fix the "
               "database by hand, then run `schemagate repair` to retry it or `schemagate stamp " +
               migration.revision.id + "` if you completed it by hand";
  } else {
    message += ". Its transaction was rolled back: the database is at the previous revision";
  }
  HistoryRecord record = history(migration, step, started_at, 0);
  record.outcome = "failed";
  record.error = server.message + " (" + where + ")";
  record.blocking = blocking;
  try {
    store_.record(record);
  } catch (const std::exception& e) {
    log::error("could not record the failure in the history table", {{"error", e.what()}});
  }
  return Error(ErrorCode::kMigrationFailed, message);
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

}  // namespace schemagate::engine
