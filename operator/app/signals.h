#pragma once

#include <thread>

#include "schemagate/common/stop_signal.h"

namespace schemagate::app {

/// Turns SIGTERM and SIGINT into stop.request_stop() for graceful shutdown.
/// Blocks both signals in the calling thread (call it before starting other
/// threads, which inherit the mask) and waits for them in a thread of its
/// own, which ends once `stop` is requested for any reason.
std::thread stop_on_termination_signals(StopSignal& stop);

}  // namespace schemagate::app
