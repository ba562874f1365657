#include <algorithm>

#include "engine/migration_lock.h"
#include "engine/pause.h"
#include "engine/sql_text.h"
#include "schemagate/common/logging.h"

namespace schemagate::engine {
namespace {

class AdvisoryLock : public MigrationLock {
 public:
  AdvisoryLock(pqxx::connection& connection, const LockOptions& options, Clock& clock)
      : connection_(connection), options_(options), clock_(clock), random_(std::random_device{}()) {}

  ~AdvisoryLock() override { release(); }

  Status acquire(std::chrono::milliseconds timeout) override {
    const auto start = clock_.now();
    auto next_report = start;
    for (int attempt = 0;; ++attempt) {
      pqxx::nontransaction query(connection_);
      if (query.exec1("SELECT pg_try_advisory_lock(" + std::to_string(options_.key) + ")")[0]
              .as<bool>() &&
          !lease_taken(query)) {
        held_ = true;
        if (attempt > 0) {
          log::info("migration lock acquired",
                    {{"waited_ms", elapsed_ms(start)}, {"lock_key", options_.key}});
        }
        return {};
      }
      std::string holder = describe_holder(query);
      if (clock_.now() >= next_report) {
        log::info("waiting for the migration lock", {{"holder", holder}, {"lock_key", options_.key}});
        next_report = clock_.now() + options_.report_every;
      }
      auto now = clock_.now();
      if (now >= start + timeout) {
        return Error(ErrorCode::kLockTimeout,
                     "migration lock not acquired within " +
                         std::to_string(timeout.count() / 1000.0).substr(0, 5) + "s; held by " +
                         holder + ". Wait for it, or raise --lock-timeout");
      }
      auto remaining =
          std::chrono::duration_cast<std::chrono::milliseconds>(start + timeout - now);
      pause(clock_, std::min(options_.poll.delay(attempt, random_),
                             remaining + std::chrono::milliseconds(1)));
    }
  }

  bool still_held() const override { return held_; }

  void release() override {
    if (!held_) return;
    held_ = false;
    try {
      pqxx::nontransaction query(connection_);
      query.exec("SELECT pg_advisory_unlock(" + std::to_string(options_.key) + ")");
    } catch (const std::exception& e) {
      // The server drops session locks when the connection closes.
      log::debug("advisory unlock failed; the lock ends with the session", {{"error", e.what()}});
    }
  }

 private:
  /// A `--lock-mode table` runner holds the lease: step back (its own check
  /// of our advisory lock is the other half, so one of two racing runners
  /// of different modes always sees the other).
  bool lease_taken(pqxx::nontransaction& query) {
    const std::string lease = quote_literal(options_.tables.lease());
    bool taken = query.exec1("SELECT to_regclass(" + lease + ") IS NOT NULL")[0].as<bool>() &&
                 query.exec1("SELECT EXISTS (SELECT 1 FROM " + options_.tables.lease() +
                             " WHERE expires_at > now())")[0].as<bool>();
    if (taken) query.exec("SELECT pg_advisory_unlock(" + std::to_string(options_.key) + ")");
    return taken;
  }

  int64_t elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - start).count();
  }

  /// "pid 123 (schemagate/pod-a, connected 12s ago)", from pg_locks.
  std::string describe_holder(pqxx::nontransaction& query) {
    uint64_t key = static_cast<uint64_t>(options_.key);
    pqxx::result rows = query.exec(
        "SELECT a.pid, coalesce(a.application_name, ''), "
        "extract(epoch FROM now() - a.backend_start)::bigint "
        "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
        "AND l.classid = " + std::to_string(key >> 32) + " AND l.objid = " +
        std::to_string(key & 0xffffffffu));
    if (rows.empty()) return "another session (it just released it, or is not visible to us)";
    // Another role's session shows no details without pg_read_all_stats.
    if (rows[0][2].is_null()) {
      return "pid " + rows[0][0].as<std::string>() + " (another role's session)";
    }
    return "pid " + rows[0][0].as<std::string>() + " (" + rows[0][1].as<std::string>() +
           ", connected " + rows[0][2].as<std::string>() + "s ago)";
  }

  pqxx::connection& connection_;
  LockOptions options_;
  Clock& clock_;
  std::mt19937_64 random_;
  bool held_ = false;
};

}  // namespace

bool behind_pooler(pqxx::connection& connection) {
  pqxx::nontransaction query(connection);
  return query.exec1("SELECT pg_backend_pid()")[0].as<int>() != connection.backendpid();
}

std::unique_ptr<MigrationLock> make_advisory_lock(pqxx::connection& connection,
                                                  const LockOptions& options, Clock& clock) {
  return std::make_unique<AdvisoryLock>(connection, options, clock);
}

}  // namespace schemagate::engine
