#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

namespace schemagate {

/// A one-way "please stop" flag shared by long-running loops (informers,
/// workers, leader election). Waits on it wake up as soon as stop is requested,
/// and callbacks let blocking I/O (an open watch stream) be cancelled.
class StopSignal {
 public:
  using CallbackId = int;

  StopSignal() = default;
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  /// Sets the flag, wakes every waiter and runs the registered callbacks once.
  void request_stop();
  bool stop_requested() const;

  /// Waits up to `duration`; true when stop was requested (before or during).
  bool wait_for(std::chrono::nanoseconds duration) const;

  /// Runs `callback` on request_stop(), or right away when already stopped.
  /// The id unregisters it; remove it before whatever it captures dies.
  CallbackId on_stop(std::function<void()> callback);
  /// Unregisters a callback; when it is running right now, waits for it to
  /// finish. Not to be called from inside a callback.
  void remove(CallbackId id);

 private:
  mutable std::mutex mutex_;
  std::mutex running_;  ///< held while request_stop() runs the callbacks
  mutable std::condition_variable changed_;
  bool stopped_ = false;
  CallbackId next_id_ = 0;
  std::map<CallbackId, std::function<void()>> callbacks_;
};

}  // namespace schemagate
