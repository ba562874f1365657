#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "postgres/locks.h"
#include "engine/pause.h"
#include "engine/lock_wait.h"
#include "engine/sql_text.h"
#include "schemagate/common/logging.h"

namespace schemagate::postgres {

using engine::pause;
using engine::quote_identifier;
using engine::quote_literal;

namespace {

std::string interval(std::chrono::milliseconds duration) {
  return "interval '" + std::to_string(duration.count()) + " milliseconds'";
}

class LeaseLock : public MigrationLock {
 public:
  LeaseLock(pqxx::connection& connection, std::string conninfo, const LockOptions& options,
            Clock& clock)
      : connection_(connection),
        conninfo_(std::move(conninfo)),
        options_(options),
        clock_(clock) {}

  ~LeaseLock() override { release(); }

  Status acquire(std::chrono::milliseconds timeout) override {
    create_table();
    engine::LockWait wait(clock_, timeout, options_.report_every, "migration lease");
    for (int attempt = 0;; ++attempt) {
      Attempt result = try_once(wait, attempt);
      if (result.done) {
        if (attempt > 0 && options_.listen) listen("UNLISTEN ");
        return result.status;
      }
      if (!options_.listen) {
        pause(clock_, result.wait);
        continue;
      }
      // As advisory waiters do (advisory_lock.cpp), where LISTEN works.
      if (attempt == 0) listen("LISTEN ");
      connection_.await_notification(static_cast<long>(result.wait.count() / 1000),
                                     static_cast<long>(result.wait.count() % 1000) * 1000);
    }
  }

  bool still_held() const override { return held_ && !lost_; }

  void release() override {
    stop_heartbeat();
    if (!held_) return;
    held_ = false;
    try {
      pqxx::nontransaction query(connection_);
      // Advisory waiters listen on the channel: they start at once.
      query.exec("DELETE FROM " + options_.tables.lease() +
                 " WHERE id = 1 AND holder = " + quote_literal(options_.holder) +
                 "; SELECT pg_notify(" + quote_literal(lock_channel(options_.key)) + ", '')");
    } catch (const std::exception& e) {
      log::warn("could not release the migration lease; it expires by itself",
                {{"error", e.what()}});
    }
  }

 private:
  struct Attempt {
    bool done = false;
    Status status;                      ///< when done: held, or timed out
    std::chrono::milliseconds wait{0};  ///< else: how long to wait
  };

  /// One try, in one nontransaction (LISTEN/UNLISTEN need it closed).
  Attempt try_once(engine::LockWait& wait, int attempt) {
    pqxx::nontransaction query(connection_);
    pqxx::result taken = query.exec(
        "INSERT INTO " + options_.tables.lease() +
        " (id, holder, acquired_at, expires_at) VALUES (1, " + quote_literal(options_.holder) +
        ", now(), now() + " + interval(options_.lease) +
        ") ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, "
        "acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at "
        "WHERE " + options_.tables.lease() + ".expires_at < now() RETURNING holder");
    if (!taken.empty() && advisory_taken(query)) {
      query.exec("DELETE FROM " + options_.tables.lease() +
                 " WHERE id = 1 AND holder = " + quote_literal(options_.holder));
    } else if (!taken.empty()) {
      held_ = true;
      start_heartbeat();
      log::info("migration lease acquired", {{"holder", options_.holder}});
      return {true, {}, {}};
    }
    if (wait.holder_wanted()) {
      if (std::optional<Error> timed_out = wait.missed(describe_holder(query))) {
        return {true, *timed_out, {}};
      }
    }
    return {false, {}, wait.next_wait(options_.poll, attempt)};
  }

  void listen(const char* command) {
    pqxx::nontransaction query(connection_);
    query.exec(command + quote_identifier(lock_channel(options_.key)));
  }

  /// An `advisory` runner holds the session lock: step back (its own check
  /// of our lease is the other half; see advisory_lock.cpp).
  bool advisory_taken(pqxx::nontransaction& query) {
    uint64_t key = static_cast<uint64_t>(options_.key);
    return query
        .exec1("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
               "AND objsubid = 1 AND classid = " + std::to_string(key >> 32) +
               " AND objid = " + std::to_string(key & 0xffffffffu) + ")")[0]
        .as<bool>();
  }

  void create_table() {
    {
      pqxx::nontransaction query(connection_);
      if (query.exec1("SELECT to_regclass(" + quote_literal(options_.tables.lease()) +
                      ") IS NOT NULL")[0]
              .as<bool>()) {
        return;
      }
    }
    // A transaction-level advisory lock serializes concurrent creators; it
    // works through transaction pooling, unlike a session lock. Not the
    // migration lock's key: waiting for an advisory holder inside this
    // transaction would stall that holder's CREATE INDEX CONCURRENTLY.
    pqxx::work create(connection_);
    create.exec("SELECT pg_advisory_xact_lock(" + std::to_string(options_.key ^ 1) + ")");
    create.exec("CREATE SCHEMA IF NOT EXISTS " + quote_identifier(options_.tables.schema));
    create.exec("CREATE TABLE IF NOT EXISTS " + options_.tables.lease() +
                " (id int PRIMARY KEY CHECK (id = 1), holder text NOT NULL, "
                "acquired_at timestamptz NOT NULL, expires_at timestamptz NOT NULL)");
    create.commit();
  }

  std::string describe_holder(pqxx::nontransaction& query) {
    pqxx::result rows = query.exec(
        "SELECT holder, extract(epoch FROM now() - acquired_at)::bigint, "
        "extract(epoch FROM expires_at - now())::bigint FROM " + options_.tables.lease());
    if (rows.empty()) {
      return advisory_taken(query) ? "a runner in --lock-mode advisory (its session lock)"
                                   : "nobody (just released)";
    }
    return rows[0][0].as<std::string>() + " (for " + rows[0][1].as<std::string>() +
           "s, lease expires in " + rows[0][2].as<std::string>() + "s)";
  }

  void start_heartbeat() {
    stopping_ = false;
    heartbeat_ = std::thread([this] { heartbeat_loop(); });
  }

  void stop_heartbeat() {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (heartbeat_.joinable()) heartbeat_.join();
  }

  void heartbeat_loop() {
    const auto period = options_.lease / 3;
    std::unique_ptr<pqxx::connection> renewer;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
      try {
        if (!renewer) renewer = std::make_unique<pqxx::connection>(conninfo_);
        pqxx::nontransaction query(*renewer);
        pqxx::result renewed = query.exec(
            "UPDATE " + options_.tables.lease() + " SET expires_at = now() + " +
            interval(options_.lease) + " WHERE id = 1 AND holder = " +
            quote_literal(options_.holder));
        if (renewed.affected_rows() != 1) {
          lost_ = true;
          log::error("migration lease lost to another runner; stopping after this step",
                     {{"holder", options_.holder}});
          return;
        }
      } catch (const std::exception& e) {
        renewer.reset();
        log::warn("lease heartbeat failed; retrying", {{"error", e.what()}});
      }
    }
  }

  pqxx::connection& connection_;
  std::string conninfo_;
  LockOptions options_;
  Clock& clock_;
  bool held_ = false;
  std::atomic<bool> lost_{false};
  std::thread heartbeat_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<MigrationLock> make_lease_lock(pqxx::connection& connection,
                                               const std::string& conninfo,
                                               const LockOptions& options, Clock& clock) {
  return std::make_unique<LeaseLock>(connection, conninfo, options, clock);
}

}  // namespace schemagate::postgres
