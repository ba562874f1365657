#include "engine/lock_wait.h"

#include <algorithm>

namespace schemagate::engine {

LockWait::LockWait(Clock& clock, std::chrono::milliseconds timeout,
                   std::chrono::milliseconds report_every, std::string what)
    : clock_(clock),
      start_(clock.now()),
      deadline_(start_ + timeout),
      next_report_(start_),
      timeout_(timeout),
      report_every_(report_every),
      what_(std::move(what)) {}

bool LockWait::holder_wanted() const {
  const auto now = clock_.now();
  return now >= next_report_ || now >= deadline_;
}

std::optional<Error> LockWait::missed(const std::string& holder, log::Fields fields) {
  const auto now = clock_.now();
  if (now >= deadline_) {
    return Error(ErrorCode::kLockTimeout,
                 what_ + " not acquired within " +
                     std::to_string(timeout_.count() / 1000.0).substr(0, 5) + "s; held by " +
                     holder + ". Wait for it, or raise --lock-timeout");
  }
  if (now >= next_report_) {
    fields.insert(fields.begin(), {"holder", holder});
    log::info("waiting for the " + what_, fields);
    next_report_ = now + report_every_;
  }
  return std::nullopt;
}

std::chrono::milliseconds LockWait::next_wait(const BackoffPolicy& poll, int attempt) {
  if (!random_) random_.emplace(std::random_device{}());
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - clock_.now());
  return std::max(std::chrono::milliseconds(0),
                  std::min(poll.delay(attempt, *random_), remaining + std::chrono::milliseconds(1)));
}

int64_t LockWait::waited_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - start_).count();
}

}  // namespace schemagate::engine
