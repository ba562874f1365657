#include "postgres/strong_lock_gate.h"

#include "engine/pause.h"
#include "lint/linter.h"
#include "schemagate/common/logging.h"

namespace schemagate::postgres {

using engine::pause;

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

StatementGate strong_lock_gate(const engine::ExecutorOptions& executor, Clock& clock) {
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

}  // namespace schemagate::postgres
