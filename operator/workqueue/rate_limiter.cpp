#include "workqueue/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace schemagate::workqueue {

Duration ExponentialRateLimiter::when(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  int failures = failures_[key]++;
  // Compute in floating point: 2^failures overflows any integer soon enough.
  double delay = static_cast<double>(base_.count()) * std::pow(2.0, failures);
  if (delay >= static_cast<double>(max_.count())) return max_;
  return Duration(static_cast<Duration::rep>(delay));
}

void ExponentialRateLimiter::forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_.erase(key);
}

int ExponentialRateLimiter::num_requeues(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = failures_.find(key);
  return found == failures_.end() ? 0 : found->second;
}

BucketRateLimiter::BucketRateLimiter(double qps, int burst, Clock& clock)
    : qps_(qps), burst_(burst), clock_(clock), tokens_(burst), last_(clock.now()) {}

Duration BucketRateLimiter::when(const std::string&) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = clock_.now();
  double elapsed = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
  // Reserve a token even when none is left: the debt is the wait.
  tokens_ -= 1;
  if (tokens_ >= 0) return Duration::zero();
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(-tokens_ / qps_));
}

Duration MaxOfRateLimiter::when(const std::string& key) {
  Duration longest = Duration::zero();
  for (auto& limiter : limiters_) longest = std::max(longest, limiter->when(key));
  return longest;
}

void MaxOfRateLimiter::forget(const std::string& key) {
  for (auto& limiter : limiters_) limiter->forget(key);
}

int MaxOfRateLimiter::num_requeues(const std::string& key) {
  int most = 0;
  for (auto& limiter : limiters_) most = std::max(most, limiter->num_requeues(key));
  return most;
}

std::unique_ptr<RateLimiter> default_controller_rate_limiter(Clock& clock) {
  std::vector<std::unique_ptr<RateLimiter>> limiters;
  limiters.push_back(std::make_unique<ExponentialRateLimiter>(std::chrono::milliseconds(5),
                                                              std::chrono::seconds(1000)));
  limiters.push_back(std::make_unique<BucketRateLimiter>(10.0, 100, clock));
  return std::make_unique<MaxOfRateLimiter>(std::move(limiters));
}

}  // namespace schemagate::workqueue
