#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "schemagate/common/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/logging.h"
#include "schemagate/common/result.h"

namespace schemagate::engine {

/// The waiting side of a migration lock, whatever holds it (PostgreSQL's
/// advisory lock or lease, SQLite's lease): when to name the holder, the
/// exit-4 error at the deadline, and how long to sleep before the next try,
/// so that every lock waits and speaks alike.
class LockWait {
 public:
  /// `what` is the lock as messages name it: "migration lock", "migration lease".
  LockWait(Clock& clock, std::chrono::milliseconds timeout,
           std::chrono::milliseconds report_every, std::string what);

  /// After a missed try: whether to look up who holds the lock now. Only at
  /// the first miss, every `report_every` and at the deadline, because 31
  /// waiters asking on every poll slowed the holder down.
  bool holder_wanted() const;
  /// After a missed try whose holder was looked up: exit 4 naming `holder`
  /// once the deadline has passed, else logs that it waits (with `fields`)
  /// and returns nothing.
  std::optional<Error> missed(const std::string& holder, log::Fields fields = {});
  /// How long to wait before the next try: the poll's backoff, never past
  /// the deadline by more than a millisecond.
  std::chrono::milliseconds next_wait(const BackoffPolicy& poll, int attempt);
  /// Since the first try, for the "acquired" line.
  int64_t waited_ms() const;

 private:
  Clock& clock_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::time_point next_report_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds report_every_;
  std::string what_;
  /// Seeded at the first wait: an uncontended lock never reads the
  /// kernel's entropy.
  std::optional<std::mt19937_64> random_;
};

}  // namespace schemagate::engine
