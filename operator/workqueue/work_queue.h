#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "workqueue/queue_metrics.h"
#include "workqueue/rate_limiter.h"

namespace schemagate::workqueue {

/// A rate-limited work queue of object keys, with client-go's guarantees:
/// - a key queued several times is handed out once (deduplication);
/// - a key is never handed to two workers at once: re-added while a worker
///   holds it, it is queued again only when that worker calls done();
/// - add_rate_limited() delays a key by its own exponential backoff, which
///   forget() resets.
/// Thread-safe. Every get() must be paired with done().
class WorkQueue {
 public:
  explicit WorkQueue(std::unique_ptr<RateLimiter> limiter = default_controller_rate_limiter(),
                     QueueMetrics* metrics = nullptr);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void add(const std::string& key);
  /// Adds `key` once `delay` has passed (right away when not positive).
  void add_after(const std::string& key, Duration delay);
  /// Adds `key` after the rate limiter's delay for it; counts a failure.
  void add_rate_limited(const std::string& key);
  void forget(const std::string& key);
  int num_requeues(const std::string& key);

  /// Blocks until a key is available; nullopt once the queue is shut down and
  /// holds nothing more to hand out.
  std::optional<std::string> get();
  /// The worker finished `key`.
  void done(const std::string& key);

  /// Refuses new keys and wakes every get(); keys already queued are still
  /// handed out, delayed keys are dropped.
  void shut_down();
  /// shut_down(), then waits until every key handed out is done().
  void shut_down_with_drain();
  bool shutting_down() const;

  /// Keys queued, not counting those a worker holds or that are delayed.
  std::size_t len() const;

  /// Tells the metrics how long the keys workers hold have been held; the
  /// queue calls it every kUnfinishedWorkPeriod while it runs.
  void report_unfinished_work();
  static constexpr std::chrono::milliseconds kUnfinishedWorkPeriod{500};

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Delayed {
    TimePoint ready;
    std::string key;
    bool operator>(const Delayed& other) const { return ready > other.ready; }
  };

  void add_locked(const std::string& key);
  void report_unfinished_work_locked();
  void run_delays();

  std::unique_ptr<RateLimiter> limiter_;
  QueueMetrics* metrics_;

  mutable std::mutex mutex_;
  std::condition_variable ready_;    ///< a key was queued, or shutdown
  std::condition_variable drained_;  ///< a worker called done()
  std::condition_variable delays_changed_;
  std::deque<std::string> queue_;
  std::set<std::string> dirty_;       ///< queued or to be re-queued after done()
  std::set<std::string> processing_;  ///< held by a worker
  std::map<std::string, TimePoint> added_at_;
  std::map<std::string, TimePoint> started_at_;
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<Delayed>> delayed_;
  bool shutting_down_ = false;
  std::thread delay_thread_;
};

}  // namespace schemagate::workqueue
