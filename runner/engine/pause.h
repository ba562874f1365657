#pragma once

#include <chrono>

#include "schemagate/common/clock.h"
#include "schemagate/common/stop_signal.h"

namespace schemagate::engine {

/// Sleeps on `clock`. The runner is never asked to stop mid-wait: SIGTERM
/// ends the process, and the server rolls back what was in flight.
inline void pause(Clock& clock, std::chrono::milliseconds duration) {
  static const StopSignal never;
  clock.sleep_for(duration, never);
}

}  // namespace schemagate::engine
