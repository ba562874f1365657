#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "schemagate/common/clock.h"

namespace schemagate::testing {

/// A clock that stands still until advanced. sleep_for() advances it by the
/// requested duration at once and records the duration, so tests check
/// delays without waiting for them.
class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_;
  }
  std::chrono::system_clock::time_point wall_now() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return wall_;
  }
  bool sleep_for(std::chrono::nanoseconds duration, const StopSignal& stop) override {
    if (stop.stop_requested()) return false;
    advance(duration);
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.push_back(duration);
    return !stop.stop_requested();
  }

  void advance(std::chrono::nanoseconds duration) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_ += duration;
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
  }
  std::vector<std::chrono::nanoseconds> sleeps() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
  std::chrono::system_clock::time_point wall_{std::chrono::seconds(1795000000)};
  std::vector<std::chrono::nanoseconds> sleeps_;
};

}  // namespace schemagate::testing
