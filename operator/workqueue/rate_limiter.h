#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "schemagate/common/clock.h"

namespace schemagate::workqueue {

using Duration = std::chrono::nanoseconds;

/// Decides how long a key waits before it is retried (client-go's
/// workqueue.RateLimiter). when() counts as one failure of `key`.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  virtual Duration when(const std::string& key) = 0;
  /// The key succeeded: its failure history is dropped.
  virtual void forget(const std::string& key) = 0;
  virtual int num_requeues(const std::string& key) = 0;
};

/// Per-key exponential backoff: base * 2^failures, capped at `max`.
class ExponentialRateLimiter final : public RateLimiter {
 public:
  ExponentialRateLimiter(Duration base, Duration max) : base_(base), max_(max) {}
  Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int num_requeues(const std::string& key) override;

 private:
  std::mutex mutex_;
  Duration base_;
  Duration max_;
  std::map<std::string, int> failures_;
};

/// An overall token bucket (`qps` refilled, at most `burst` at once), so a storm
/// of failing keys cannot hammer the API server. Keys are not told apart.
class BucketRateLimiter final : public RateLimiter {
 public:
  BucketRateLimiter(double qps, int burst, Clock& clock);
  Duration when(const std::string& key) override;
  void forget(const std::string&) override {}
  int num_requeues(const std::string&) override { return 0; }

 private:
  std::mutex mutex_;
  double qps_;
  double burst_;
  Clock& clock_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
};

/// The longest delay of several limiters.
class MaxOfRateLimiter final : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters)
      : limiters_(std::move(limiters)) {}
  Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int num_requeues(const std::string& key) override;

 private:
  std::vector<std::unique_ptr<RateLimiter>> limiters_;
};

/// What controllers use (as client-go's DefaultControllerRateLimiter): per key
/// 5 ms doubling up to 1000 s, overall 10 per second with bursts of 100.
std::unique_ptr<RateLimiter> default_controller_rate_limiter(Clock& clock = Clock::real());

}  // namespace schemagate::workqueue
