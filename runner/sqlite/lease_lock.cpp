#include "sqlite/lease_lock.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "engine/lock_wait.h"
#include "engine/pause.h"
#include "engine/sql_text.h"
#include "schemagate/common/logging.h"
#include "sqlite/sqlite_dialect.h"

namespace schemagate::sqlite {
namespace {

using engine::quote_literal;

double epoch_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string seconds_literal(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  return buffer;
}

}  // namespace

/// The renewing thread, on its own connection: a lease outlives a long
/// step only for holders whose death another machine could not see.
struct LeaseLock::Heartbeat {
  std::thread thread;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::atomic<bool> lost{false};
};

LeaseLock::LeaseLock(Connection& connection, LeaseOptions options, Clock& clock)
    : connection_(connection),
      options_(std::move(options)),
      clock_(clock),
      self_(ProcessIdentity::self()) {}

LeaseLock::~LeaseLock() { release(); }

std::string LeaseLock::renew_sql() const {
  return "UPDATE " + options_.tables.lease() + " SET expires_at = " +
         seconds_literal(epoch_seconds() + options_.lease.count() / 1000.0) +
         " WHERE id = 1 AND holder = " + quote_literal(options_.holder);
}

bool LeaseLock::try_take(std::string& holder) {
  connection_.exec("BEGIN IMMEDIATE");
  try {
    connection_.exec(SqliteDialect().create_lease_table(options_.tables));
    auto rows = connection_.query("SELECT holder, host, pid, process, acquired_at, expires_at FROM " +
                                  options_.tables.lease() + " WHERE id = 1");
    const double now = epoch_seconds();
    if (!rows.empty()) {
      const Row& row = rows[0];
      ProcessIdentity other{row[1].value_or(""), std::stol(row[2].value_or("0")),
                            row[3].value_or("")};
      const double acquired = std::stod(row[4].value_or("0"));
      const double expires = std::stod(row[5].value_or("0"));
      Liveness alive = liveness(other);
      bool free = alive == Liveness::kDead || (alive == Liveness::kUnknown && expires < now);
      if (!free) {
        holder = row[0].value_or("?") + " (for " + std::to_string(int64_t(now - acquired)) +
                 "s, " +
                 (alive == Liveness::kAlive
                      ? std::string("running on this machine")
                      : "lease expires in " + std::to_string(int64_t(expires - now)) + "s") +
                 ")";
        connection_.exec("ROLLBACK");
        return false;
      }
      log::warn(alive == Liveness::kDead
                    ? "the migration lease's holder no longer runs (killed?): taking it over"
                    : "the migration lease expired without its holder letting go: taking it over",
                {{"previous_holder", row[0].value_or("?")}});
    }
    connection_.exec("INSERT OR REPLACE INTO " + options_.tables.lease() +
                     " (id, holder, host, pid, process, acquired_at, expires_at) VALUES (1, " +
                     quote_literal(options_.holder) + ", " + quote_literal(self_.host) + ", " +
                     std::to_string(self_.pid) + ", " + quote_literal(self_.process) + ", " +
                     seconds_literal(now) + ", " +
                     seconds_literal(now + options_.lease.count() / 1000.0) + ")");
    connection_.exec("COMMIT");
    return true;
  } catch (...) {
    connection_.rollback_quietly();
    throw;
  }
}

std::string LeaseLock::describe_holder() {
  try {
    auto rows = connection_.query("SELECT holder, acquired_at FROM " + options_.tables.lease() +
                                  " WHERE id = 1");
    if (rows.empty()) return "a writer of the database (another runner, or the application)";
    return rows[0][0].value_or("?") + " (for " +
           std::to_string(int64_t(epoch_seconds() - std::stod(rows[0][1].value_or("0")))) +
           "s, writing right now)";
  } catch (const SqliteError&) {
    return "a writer of the database (another runner, or the application)";
  }
}

Status LeaseLock::acquire(std::chrono::milliseconds timeout) {
  engine::LockWait wait(clock_, timeout, options_.report_every, "migration lock");
  const auto deadline = clock_.now() + timeout;
  for (int attempt = 0;; ++attempt) {
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_.now());
    // BEGIN IMMEDIATE waits this long for a writer (a holder mid-step).
    connection_.set_busy_timeout(
        std::clamp(remaining, std::chrono::milliseconds(1), std::chrono::milliseconds(1000)));
    std::string holder;
    bool taken = false;
    try {
      taken = try_take(holder);
    } catch (const SqliteError& error) {
      if (!error.busy()) throw;
      holder = describe_holder();
    }
    if (taken) {
      held_ = true;
      start_heartbeat();
      if (attempt > 0) {
        log::info("migration lock acquired",
                  {{"holder", options_.holder}, {"waited_ms", wait.waited_ms()}});
      }
      return {};
    }
    if (std::optional<Error> timed_out = wait.missed(holder)) return *timed_out;
    engine::pause(clock_, wait.next_wait(options_.poll, attempt));
  }
}

bool LeaseLock::still_held() const { return held_ && !(heartbeat_ && heartbeat_->lost); }

bool LeaseLock::renew_in(Connection& connection) const {
  return held_ && connection.exec(renew_sql()) == 1;
}

void LeaseLock::release() {
  stop_heartbeat();
  if (!held_) return;
  held_ = false;
  try {
    connection_.rollback_quietly();
    connection_.set_busy_timeout(std::chrono::seconds(5));
    connection_.exec("DELETE FROM " + options_.tables.lease() + " WHERE id = 1 AND holder = " +
                     quote_literal(options_.holder));
  } catch (const std::exception& e) {
    log::warn("could not release the migration lease; the next runner takes it over when this "
              "process is gone or the lease expires",
              {{"error", e.what()}});
  }
}

void LeaseLock::start_heartbeat() {
  if (connection_.url().memory) return;  // no other connection can see it
  heartbeat_ = std::make_unique<Heartbeat>();
  Heartbeat& beat = *heartbeat_;
  beat.thread = std::thread([this, &beat] {
    const auto period = options_.lease / 3;
    std::unique_ptr<Connection> renewer;
    std::unique_lock<std::mutex> lock(beat.mutex);
    while (!beat.wake.wait_for(lock, period, [&beat] { return beat.stopping; })) {
      try {
        if (!renewer) {
          auto opened = Connection::open(connection_.url());
          if (!opened) continue;
          renewer = std::move(opened).value();
        }
        renewer->set_busy_timeout(period);
        // IMMEDIATE: waiting for the write lock while holding a read lock
        // could deadlock with our own step's commit.
        renewer->exec("BEGIN IMMEDIATE");
        int64_t renewed = renewer->exec(renew_sql());
        renewer->exec("COMMIT");
        if (renewed != 1) {
          beat.lost = true;
          log::error("migration lease lost to another runner; stopping before the next step",
                     {{"holder", options_.holder}});
          return;
        }
      } catch (const SqliteError& e) {
        if (renewer) renewer->rollback_quietly();
        // A step holding the write lock is the usual cause: it renews the
        // lease itself when it commits.
        log::debug("lease heartbeat skipped", {{"error", e.what()}});
      }
    }
  });
}

void LeaseLock::stop_heartbeat() {
  if (!heartbeat_) return;
  {
    std::lock_guard<std::mutex> guard(heartbeat_->mutex);
    heartbeat_->stopping = true;
  }
  heartbeat_->wake.notify_all();
  if (heartbeat_->thread.joinable()) heartbeat_->thread.join();
  heartbeat_.reset();
}

}  // namespace schemagate::sqlite
