#include "workqueue/work_queue.h"

#include <algorithm>

namespace schemagate::workqueue {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

WorkQueue::WorkQueue(std::unique_ptr<RateLimiter> limiter, QueueMetrics* metrics)
    : limiter_(std::move(limiter)), metrics_(metrics), delay_thread_([this] { run_delays(); }) {}

WorkQueue::~WorkQueue() {
  shut_down();
  delay_thread_.join();
}

void WorkQueue::add(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  add_locked(key);
}

void WorkQueue::add_locked(const std::string& key) {
  if (shutting_down_) return;
  if (metrics_) metrics_->on_add();
  if (!dirty_.insert(key).second) return;
  if (processing_.count(key)) return;  // done() queues it again
  queue_.push_back(key);
  added_at_.emplace(key, std::chrono::steady_clock::now());
  if (metrics_) metrics_->on_depth(queue_.size());
  ready_.notify_one();
}

void WorkQueue::add_after(const std::string& key, Duration delay) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (shutting_down_) return;
  if (delay <= Duration::zero()) {
    add_locked(key);
    return;
  }
  delayed_.push({std::chrono::steady_clock::now() + delay, key});
  delays_changed_.notify_one();
}

void WorkQueue::add_rate_limited(const std::string& key) {
  if (metrics_) metrics_->on_retry();
  add_after(key, limiter_->when(key));
}

void WorkQueue::forget(const std::string& key) { limiter_->forget(key); }

int WorkQueue::num_requeues(const std::string& key) { return limiter_->num_requeues(key); }

std::optional<std::string> WorkQueue::get() {
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait(lock, [this] { return !queue_.empty() || shutting_down_; });
  if (queue_.empty()) return std::nullopt;
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  auto added = added_at_.find(key);
  if (added != added_at_.end()) {
    if (metrics_) metrics_->on_queue_latency(seconds_since(added->second));
    added_at_.erase(added);
  }
  started_at_[key] = std::chrono::steady_clock::now();
  if (metrics_) metrics_->on_depth(queue_.size());
  return key;
}

void WorkQueue::done(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  processing_.erase(key);
  auto started = started_at_.find(key);
  if (started != started_at_.end()) {
    if (metrics_) metrics_->on_work_duration(seconds_since(started->second));
    started_at_.erase(started);
  }
  if (dirty_.count(key)) {
    queue_.push_back(key);
    added_at_.emplace(key, std::chrono::steady_clock::now());
    if (metrics_) metrics_->on_depth(queue_.size());
    ready_.notify_one();
  }
  drained_.notify_all();
}

void WorkQueue::shut_down() {
  std::lock_guard<std::mutex> lock(mutex_);
  shutting_down_ = true;
  ready_.notify_all();
  delays_changed_.notify_all();
}

void WorkQueue::shut_down_with_drain() {
  shut_down();
  std::unique_lock<std::mutex> lock(mutex_);
  drained_.wait(lock, [this] { return processing_.empty(); });
}

bool WorkQueue::shutting_down() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return shutting_down_;
}

std::size_t WorkQueue::len() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void WorkQueue::report_unfinished_work() {
  std::lock_guard<std::mutex> lock(mutex_);
  report_unfinished_work_locked();
}

void WorkQueue::report_unfinished_work_locked() {
  if (!metrics_) return;
  double total = 0;
  double longest = 0;
  for (const auto& [key, started] : started_at_) {
    double held = seconds_since(started);
    total += held;
    longest = std::max(longest, held);
  }
  metrics_->on_unfinished_work(total, longest);
}

// Also the metrics' clock: without metrics it sleeps until the next delayed key.
void WorkQueue::run_delays() {
  std::unique_lock<std::mutex> lock(mutex_);
  TimePoint next_report = std::chrono::steady_clock::now();
  while (!shutting_down_) {
    TimePoint now = std::chrono::steady_clock::now();
    if (metrics_ && now >= next_report) {
      report_unfinished_work_locked();
      next_report = now + kUnfinishedWorkPeriod;
    }
    TimePoint next = delayed_.empty() ? TimePoint::max() : delayed_.top().ready;
    if (now < next) {
      if (metrics_) next = std::min(next, next_report);
      if (next == TimePoint::max()) {
        delays_changed_.wait(lock);
      } else {
        delays_changed_.wait_until(lock, next);
      }
      continue;
    }
    std::string key = delayed_.top().key;
    delayed_.pop();
    add_locked(key);
  }
}

}  // namespace schemagate::workqueue
