#pragma once

#include <chrono>

#include "schemagate/common/stop_signal.h"

namespace schemagate {

/// Time and sleeping behind an interface, so that retry loops, backoff and
/// lease expiry are tested with a fake clock that records the delays instead
/// of waiting for them.
class Clock {
 public:
  virtual ~Clock() = default;

  /// Monotonic time, for measuring intervals.
  virtual std::chrono::steady_clock::time_point now() = 0;
  /// Wall-clock time, for timestamps other processes read (lease renewTime).
  virtual std::chrono::system_clock::time_point wall_now() = 0;
  /// Sleeps `duration` or until `stop` is requested; false when stopped.
  virtual bool sleep_for(std::chrono::nanoseconds duration, const StopSignal& stop) = 0;

  /// The process-wide real clock.
  static Clock& real();
};

}  // namespace schemagate
