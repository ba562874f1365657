#include "engine/repeatables.h"

#include <algorithm>

#include "engine/connector.h"
#include "engine/notice_log.h"
#include "engine/pause.h"
#include "engine/server_error.h"
#include "engine/sql_text.h"
#include "schemagate/common/logging.h"
#include "script/repeatable.h"
#include "sql/body_analyzer.h"

namespace schemagate::engine {
namespace {

constexpr const char* kLockNotAvailable = "55P03";

int64_t elapsed_ms(Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start).count();
}

Result<sql::Analysis> analyze(const script::Migration& migration) {
  return sql::analyze_body(migration.path, migration.up.sql, migration.up.first_line, true,
                           migration.wrapped_transaction);
}

}  // namespace

RepeatableRunner::RepeatableRunner(pqxx::connection& connection, VersionStore& store,
                                   const script::ScriptDirectory& scripts, ExecutorOptions options,
                                   Clock& clock)
    : connection_(connection),
      store_(store),
      scripts_(scripts),
      options_(std::move(options)),
      clock_(clock),
      random_(std::random_device{}()) {}

std::vector<const script::Migration*> RepeatableRunner::pending() {
  return pending_repeatables(connection_, store_, scripts_);
}

Status RepeatableRunner::check_bodies() const {
  for (const script::Migration& migration : scripts_.repeatables()) {
    Result<sql::Analysis> analysis = analyze(migration);
    if (!analysis) return analysis.error();
  }
  return {};
}

Status RepeatableRunner::after_upgrade(const script::Plan& plan, bool dry_run, std::ostream& out,
                                       const MigrationLock* lock) {
  if (scripts_.repeatables().empty()) return {};
  std::vector<script::RevisionMap::Index> reached = plan.heads_after;
  std::sort(reached.begin(), reached.end());
  std::vector<script::RevisionMap::Index> heads = scripts_.map().heads();
  std::sort(heads.begin(), heads.end());
  if (reached != heads) {
    log::info("repeatable revisions left alone: the upgrade stops before the heads",
              {{"repeatables", int64_t(scripts_.repeatables().size())}});
    return {};
  }
  std::vector<const script::Migration*> changed = pending();
  if (dry_run) {
    for (const script::Migration* migration : changed) {
      out << "repeat " << migration->revision.id << ", " << migration->revision.message << "\n";
    }
    return {};
  }
  if (changed.empty()) {
    log::info("repeatable revisions unchanged",
              {{"repeatables", int64_t(scripts_.repeatables().size())}});
    return {};
  }
  store_.ensure_tables();
  {
    pqxx::work widen(connection_);
    widen.exec(allow_repeat_direction_sql(store_.tables()));
    widen.commit();
  }
  return apply(changed, lock);
}

Status RepeatableRunner::apply(const std::vector<const script::Migration*>& pending,
                               const MigrationLock* lock) {
  for (const script::Migration* migration : pending) {
    if (lock && !lock->still_held()) {
      return Error(ErrorCode::kLockTimeout,
                   "the migration lease was lost before repeatable revision " +
                       migration->revision.id +
                       "; another runner may have taken over. Nothing half done: run again");
    }
    auto start = clock_.now();
    Status status = apply_one(*migration);
    // A repeatable's SET must not leak into the next one.
    try {
      pqxx::nontransaction reset(connection_);
      reset.exec("RESET ALL; " + session_defaults_sql(connection_));
    } catch (const std::exception& e) {
      log::debug("RESET ALL failed", {{"error", e.what()}});
    }
    if (!status) return status;
    log::info("applied repeatable", {{"revision", migration->revision.id},
                                     {"message", migration->revision.message},
                                     {"duration_ms", elapsed_ms(clock_, start)}});
  }
  return {};
}

Status RepeatableRunner::apply_one(const script::Migration& migration) {
  Result<sql::Analysis> analysis = analyze(migration);
  if (!analysis) return analysis.error();
  NoticeLog notices(connection_, migration.revision.id);
  HistoryRecord record = succeeded_record(migration.revision.id, kRepeatDirection,
                                          migration.checksum(), options_.applied_by);
  const auto start = clock_.now();
  for (int attempt = 0;; ++attempt) {
    int line = migration.up.first_line;
    try {
      pqxx::work tx(connection_);
      tx.exec("SET LOCAL lock_timeout = " +
              std::to_string(options_.statement_lock_timeout.count()));
      for (const sql::AnalyzedStatement& analyzed : analysis->statements) {
        line = analyzed.statement.line;
        tx.exec(analyzed.statement.sql);
      }
      record.duration_ms = elapsed_ms(clock_, start);
      tx.exec(insert_history_sql(store_.tables(), record));
      tx.commit();
      return {};
    } catch (const pqxx::sql_error& error) {
      if (error.sqlstate() == kLockNotAvailable && attempt < options_.lock_retries) {
        auto delay = options_.retry_backoff.delay(attempt, random_);
        log::warn("lock_timeout hit; the repeatable rolled back and will be retried",
                  {{"revision", migration.revision.id}, {"line", line},
                   {"attempt", attempt + 1}, {"retry_in_ms", int64_t(delay.count())}});
        pause(clock_, delay);
        continue;
      }
      ServerError server = parse_server_error(error.what());
      std::string where = migration.path + ":" +
                          std::to_string(server.line > 0 ? line + server.line - 1 : line);
      record.outcome = "failed";
      record.error = cut_for_history(server.describe() + " (" + where + ")");
      record.duration_ms = elapsed_ms(clock_, start);
      try {
        store_.record(record);
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

std::map<std::string, std::string> recorded_repeatable_checksums(pqxx::connection& connection,
                                                                 VersionStore& store) {
  std::map<std::string, std::string> checksums;
  if (!store.history_table_exists()) return checksums;
  pqxx::nontransaction query(connection);
  for (const auto& row : query.exec(
           "SELECT DISTINCT ON (revision) revision, checksum FROM " + store.tables().history() +
           " WHERE outcome = 'succeeded' AND direction IN ('repeat', 'stamp') "
           "AND checksum IS NOT NULL ORDER BY revision, id DESC")) {
    checksums[row[0].as<std::string>()] = row[1].as<std::string>();
  }
  return checksums;
}

std::string allow_repeat_direction_sql(const VersionTables& tables) {
  const std::string table = quote_literal(tables.history());
  return "DO $schemagate$\nDECLARE c record;\nBEGIN\n"
         "  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = " + table +
         "::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%direction%' AND "
         "pg_get_constraintdef(oid) NOT LIKE '%repeat%' LOOP\n"
         "    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I CHECK (direction "
         "IN (''up'', ''down'', ''stamp'', ''repair'', ''repeat''))', " + table +
         ", c.conname, c.conname);\n"
         "  END LOOP;\nEND $schemagate$";
}

std::vector<const script::Migration*> pending_repeatables(pqxx::connection& connection,
                                                         VersionStore& store,
                                                         const script::ScriptDirectory& scripts) {
  if (scripts.repeatables().empty()) return {};
  return script::changed_repeatables(scripts.repeatables(),
                                     recorded_repeatable_checksums(connection, store));
}

Result<std::string> render_repeatables_offline(const script::ScriptDirectory& scripts,
                                               const VersionTables& tables,
                                               const std::string& applied_by) {
  if (scripts.repeatables().empty()) return std::string();
  std::string out = allow_repeat_direction_sql(tables) + ";\n\n";
  for (const script::Migration& migration : scripts.repeatables()) {
    Result<sql::Analysis> analysis = analyze(migration);
    if (!analysis) return analysis.error();
    out += "-- repeatable " + migration.revision.id + ": " + migration.revision.message + " (" +
           migration.path + ")\nBEGIN;\n";
    for (const sql::AnalyzedStatement& statement : analysis->statements) {
      out += statement.statement.sql + ";\n";
    }
    out += insert_history_sql(tables, succeeded_record(migration.revision.id, kRepeatDirection,
                                                       migration.checksum(), applied_by)) +
           ";\nCOMMIT;\n\n";
  }
  return out;
}

}  // namespace schemagate::engine
