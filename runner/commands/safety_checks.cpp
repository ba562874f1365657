#include "commands/safety_checks.h"

#include "commands/lint_run.h"
#include "engine/pause.h"
#include "lint/database_facts.h"
#include "lint/linter.h"
#include "schemagate/common/logging.h"

namespace schemagate::commands {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kPoll{500};
constexpr milliseconds kDefaultPatience{5000};

/// The pg_locks modes a lock of `mode` (SHARE or stronger) waits for, as
/// PostgreSQL's conflict table has it.
std::string conflicting_modes(const std::string& mode) {
  if (mode == "ACCESS EXCLUSIVE") {
    return "{AccessShareLock,RowShareLock,RowExclusiveLock,ShareUpdateExclusiveLock,ShareLock,"
           "ShareRowExclusiveLock,ExclusiveLock,AccessExclusiveLock}";
  }
  if (mode == "EXCLUSIVE") {
    return "{RowShareLock,RowExclusiveLock,ShareUpdateExclusiveLock,ShareLock,"
           "ShareRowExclusiveLock,ExclusiveLock,AccessExclusiveLock}";
  }
  if (mode == "SHARE ROW EXCLUSIVE") {
    return "{RowExclusiveLock,ShareUpdateExclusiveLock,ShareLock,ShareRowExclusiveLock,"
           "ExclusiveLock,AccessExclusiveLock}";
  }
  return "{RowExclusiveLock,ShareUpdateExclusiveLock,ShareRowExclusiveLock,ExclusiveLock,"
         "AccessExclusiveLock}";  // SHARE
}

/// Sessions other than ours holding a lock on the table that `lock` waits
/// for, that are idle in a transaction or in one for longer than `patience`.
/// pg_stat_activity is a per-transaction snapshot: it is cleared first, so
/// that polls inside the migration's transaction see sessions end.
pqxx::result lock_holders(pqxx::transaction_base& tx, const lint::StatementLock& lock,
                          milliseconds patience) {
  tx.exec("SELECT pg_stat_clear_snapshot()");
  return tx.exec_params(
      "SELECT DISTINCT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''), "
      "floor(extract(epoch FROM clock_timestamp() - a.xact_start))::bigint, "
      "left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 60) "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'relation' AND l.granted AND a.pid <> pg_backend_pid() "
      "AND l.relation = to_regclass(CASE WHEN $1 = '' THEN quote_ident($2) "
      "ELSE quote_ident($1) || '.' || quote_ident($2) END) AND l.mode = ANY($4::text[]) "
      "AND (a.state LIKE 'idle in transaction%' "
      "OR clock_timestamp() - a.xact_start > $3 * interval '1 millisecond') "
      "ORDER BY a.pid",
      lock.table.schema, lock.table.name, static_cast<int64_t>(patience.count()),
      conflicting_modes(lock.mode));
}

std::string describe_holders(const pqxx::result& holders) {
  std::string text;
  for (const auto& row : holders) {
    text += (text.empty() ? "" : "; ") + std::string("pid ") + row[0].as<std::string>() + " (" +
            (row[1].as<std::string>().empty() ? "" : row[1].as<std::string>() + ", ") +
            row[2].as<std::string>() + ", in its transaction for " + row[3].as<std::string>() +
            " s: " + row[4].as<std::string>() + ")";
  }
  return text;
}

}  // namespace

Status lint_before_upgrade(const cli::Context& context, DatabaseSession& session,
                           const script::ScriptDirectory& scripts, const std::string& target,
                           const engine::ExecutorOptions& executor) {
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  Result<std::vector<script::RevisionMap::Index>> pending =
      pending_revisions(session, scripts, target);
  if (!pending) return pending.error();
  lint::DatabaseFacts facts(session.connection());
  lint::LintOptions options;
  options.statement_lock_timeout = executor.statement_lock_timeout;
  Result<lint::Report> report = lint_revisions(*config, scripts, *pending, facts, options);
  if (!report) return report.error();
  for (const lint::Finding& finding : report->findings) {
    std::string where = finding.path + ":" + std::to_string(finding.line);
    log::Fields fields = {{"rule", finding.rule}, {"at", where}, {"instead", finding.rewrite}};
    if (finding.severity == lint::Severity::kError) {
      log::error(finding.message, fields);
    } else {
      log::warn(finding.message, fields);
    }
  }
  size_t errors = error_count(*report);
  if (errors == 0) return {};
  return Error(ErrorCode::kMigrationFailed,
               "--safety-checks: " + std::to_string(errors) +
                   " lint error(s) in the pending revisions (logged above); nothing was applied. "
                   "Fix them, or accept one with '-- schemagate:lint-ignore RULE reason' "
                   "(`schemagate lint` lists them)");
}

std::function<Status(pqxx::transaction_base&, const script::Migration&, const sql::Statement&)>
lock_holder_gate(const engine::ExecutorOptions& executor, Clock& clock) {
  const milliseconds patience = executor.statement_lock_timeout.count() > 0
                                    ? executor.statement_lock_timeout
                                    : kDefaultPatience;
  const milliseconds bound = patience * (1 + std::max(0, executor.lock_retries));
  return [patience, bound, &clock](pqxx::transaction_base& tx,
                                   const script::Migration& migration,
                                   const sql::Statement& statement) -> Status {
    std::optional<lint::StatementLock> lock = lint::strong_lock_of(statement.sql);
    if (!lock) return {};
    const auto deadline = clock.now() + bound;
    for (bool logged = false;; logged = true) {
      pqxx::result holders = lock_holders(tx, *lock, patience);
      if (holders.empty()) return {};
      std::string who = describe_holders(holders);
      std::string where = migration.path + ":" + std::to_string(statement.line);
      if (clock.now() >= deadline) {
        return Error(ErrorCode::kMigrationFailed,
                     where + ": " + lock->mode + " on " + lock->table.text() +
                         " would queue behind " + who + ", and every query on " +
                         lock->table.text() + " behind it; waited " +
                         std::to_string(bound.count() / 1000) +
                         " s. End those sessions (SELECT pg_terminate_backend(pid)) or run "
                         "again once they finish");
      }
      if (!logged) {
        log::warn("--safety-checks: waiting for sessions holding the table before a strong lock",
                  {{"at", where}, {"table", lock->table.text()}, {"lock", lock->mode},
                   {"holders", who}, {"max_wait_ms", int64_t(bound.count())}});
      }
      engine::pause(clock, kPoll);
    }
  };
}

}  // namespace schemagate::commands
