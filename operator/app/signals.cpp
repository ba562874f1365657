#include "app/signals.h"

#include <signal.h>

#include <ctime>

#include "schemagate/common/logging.h"

namespace schemagate::app {

std::thread stop_on_termination_signals(StopSignal& stop) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return std::thread([&stop, signals] {
    // A timed wait, so the thread also ends when the operator stops by itself.
    timespec period{0, 200 * 1000 * 1000};
    while (!stop.stop_requested()) {
      int received = sigtimedwait(&signals, nullptr, &period);
      if (received == SIGTERM || received == SIGINT) {
        log::info("shutting down", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
        stop.request_stop();
      }
    }
  });
}

}  // namespace schemagate::app
