#include "schemagate/common/stop_signal.h"

#include <vector>

namespace schemagate {

void StopSignal::request_stop() {
  std::lock_guard<std::mutex> running(running_);
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [id, callback] : callbacks_) to_run.push_back(std::move(callback));
    callbacks_.clear();
  }
  changed_.notify_all();
  // Outside the lock: a callback may call remove() or stop_requested().
  for (auto& callback : to_run) callback();
}

bool StopSignal::stop_requested() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopped_;
}

bool StopSignal::wait_for(std::chrono::nanoseconds duration) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, duration, [this] { return stopped_; });
}

StopSignal::CallbackId StopSignal::on_stop(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopped_) {
      callbacks_.emplace(next_id_, std::move(callback));
      return next_id_++;
    }
  }
  callback();
  return -1;
}

void StopSignal::remove(CallbackId id) {
  bool stopped = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    callbacks_.erase(id);
    stopped = stopped_;
  }
  // The callback may have been taken out by request_stop() and be running.
  if (stopped) {
    std::lock_guard<std::mutex> running(running_);
  }
}

}  // namespace schemagate
