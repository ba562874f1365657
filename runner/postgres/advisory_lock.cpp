#include <algorithm>

#include "postgres/locks.h"
#include "engine/lock_wait.h"
#include "engine/sql_text.h"
#include "schemagate/common/logging.h"

namespace schemagate::postgres {

using engine::quote_identifier;
using engine::quote_literal;
namespace {

class AdvisoryLock : public MigrationLock {
 public:
  AdvisoryLock(pqxx::connection& connection, const LockOptions& options, Clock& clock)
      : connection_(connection), options_(options), clock_(clock) {}

  ~AdvisoryLock() override { release(); }

  Status acquire(std::chrono::milliseconds timeout) override {
    engine::LockWait wait(clock_, timeout, options_.report_every, "migration lock");
    for (int attempt = 0;; ++attempt) {
      Attempt result = try_once(wait, attempt);
      if (result.done) {
        if (attempt > 0) listen("UNLISTEN ");
        return result.status;
      }
      // Listening from the first miss on: a release in between is caught by
      // the poll, and an uncontended run pays no round trip for it.
      if (attempt == 0) listen("LISTEN ");
      // Until a notification arrives or the poll interval passes.
      connection_.await_notification(static_cast<long>(result.wait.count() / 1000),
                                     static_cast<long>(result.wait.count() % 1000) * 1000);
    }
  }

  bool still_held() const override { return held_; }

  void release() override {
    if (!held_) return;
    held_ = false;
    try {
      pqxx::nontransaction query(connection_);
      query.exec("SELECT pg_advisory_unlock(" + std::to_string(options_.key) + "), pg_notify(" +
                 quote_literal(lock_channel(options_.key)) + ", '')");
    } catch (const std::exception& e) {
      // The server drops session locks when the connection closes.
      log::debug("advisory unlock failed; the lock ends with the session", {{"error", e.what()}});
    }
  }

 private:
  void listen(const char* command) {
    pqxx::nontransaction query(connection_);
    query.exec(command + quote_identifier(lock_channel(options_.key)));
  }

  struct Attempt {
    bool done = false;
    Status status;                  ///< when done: held, or timed out
    std::chrono::milliseconds wait{0};  ///< else: how long to wait
  };

  /// One try, in one nontransaction (LISTEN/UNLISTEN need it closed).
  Attempt try_once(engine::LockWait& wait, int attempt) {
    pqxx::nontransaction query(connection_);
    if (query.exec1("SELECT pg_try_advisory_lock(" + std::to_string(options_.key) + ")")[0]
            .as<bool>() &&
        !lease_taken(query)) {
      held_ = true;
      if (attempt > 0) {
        log::info("migration lock acquired",
                  {{"waited_ms", wait.waited_ms()}, {"lock_key", options_.key}});
      }
      return {true, {}, {}};
    }
    if (wait.holder_wanted()) {
      if (std::optional<Error> timed_out =
              wait.missed(describe_holder(query), {{"lock_key", options_.key}})) {
        return {true, *timed_out, {}};
      }
    }
    return {false, {}, wait.next_wait(options_.poll, attempt)};
  }

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
  bool held_ = false;
};

}  // namespace

std::string lock_channel(int64_t key) {
  return "schemagate_lock_" + std::to_string(static_cast<uint64_t>(key));
}

bool behind_pooler(pqxx::connection& connection) {
  pqxx::nontransaction query(connection);
  return query.exec1("SELECT pg_backend_pid()")[0].as<int>() != connection.backendpid();
}

std::unique_ptr<MigrationLock> make_advisory_lock(pqxx::connection& connection,
                                                  const LockOptions& options, Clock& clock) {
  return std::make_unique<AdvisoryLock>(connection, options, clock);
}

}  // namespace schemagate::postgres
