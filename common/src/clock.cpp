#include "schemagate/common/clock.h"

namespace schemagate {
namespace {

class RealClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point now() override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point wall_now() override {
    return std::chrono::system_clock::now();
  }
  bool sleep_for(std::chrono::nanoseconds duration, const StopSignal& stop) override {
    return !stop.wait_for(duration);
  }
};

}  // namespace

Clock& Clock::real() {
  static RealClock clock;
  return clock;
}

}  // namespace schemagate
