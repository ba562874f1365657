#include "postgres/repeatables.h"

#include "engine/pause.h"
#include "engine/repeatables.h"
#include "postgres/notice_log.h"
#include "postgres/server_error.h"
#include "schemagate/common/logging.h"
#include "sql/body_analyzer.h"

namespace schemagate::postgres {

using engine::pause;

namespace {

constexpr const char* kLockNotAvailable = "55P03";

int64_t elapsed_ms(Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start).count();
}

}  // namespace

Status apply_repeatable(pqxx::connection& connection, VersionStore& store,
                        const engine::ExecutorOptions& options, Clock& clock,
                        std::mt19937_64& random, const script::Migration& migration) {
  Result<sql::Analysis> analysis =
      sql::analyze_body(migration.path, migration.up.sql, migration.up.first_line, true,
                        migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  NoticeLog notices(connection, migration.revision.id);
  HistoryRecord record = engine::succeeded_record(migration.revision.id, engine::kRepeatDirection,
                                          migration.checksum(), options.applied_by);
  const auto start = clock.now();
  for (int attempt = 0;; ++attempt) {
    int line = migration.up.first_line;
    try {
      pqxx::work tx(connection);
      tx.exec("SET LOCAL lock_timeout = " +
              std::to_string(options.statement_lock_timeout.count()));
      for (const sql::AnalyzedStatement& analyzed : analysis->statements) {
        line = analyzed.statement.line;
        tx.exec(analyzed.statement.sql);
      }
      record.duration_ms = elapsed_ms(clock, start);
      tx.exec(insert_history_sql(store.tables(), record));
      tx.commit();
      return {};
    } catch (const pqxx::sql_error& error) {
      if (error.sqlstate() == kLockNotAvailable && attempt < options.lock_retries) {
        auto delay = options.retry_backoff.delay(attempt, random);
        log::warn("lock_timeout hit; the repeatable rolled back and will be retried",
                  {{"revision", migration.revision.id}, {"line", line},
                   {"attempt", attempt + 1}, {"retry_in_ms", int64_t(delay.count())}});
        engine::pause(clock, delay);
        continue;
      }
      ServerError server = parse_server_error(error.what());
      std::string where = migration.path + ":" +
                          std::to_string(server.line > 0 ? line + server.line - 1 : line);
      record.outcome = "failed";
      record.error = engine::cut_for_history(server.describe() + " (" + where + ")");
      record.duration_ms = elapsed_ms(clock, start);
      try {
        store.record(record);
      } catch (const std::exception& e) {
        log::error("could not record the failure in the history table", {{"error", e.what()}});
      }
      return Error(ErrorCode::kMigrationFailed,
                   where + ": repeatable revision " + migration.revision.id + " (" +
                       migration.revision.message + ") failed: SQLSTATE " + error.sqlstate() +
                       ": " + server.describe() +
                       ". Its transaction was rolled back; the versioned revisions applied "
                       "before it stay. Fix the file and run the upgrade again");
    }
  }
}

}  // namespace schemagate::postgres
