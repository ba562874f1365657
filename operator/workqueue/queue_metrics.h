#pragma once

#include <cstddef>

namespace schemagate::workqueue {

/// Hooks a work queue calls so that its behaviour shows up in /metrics
/// (the http layer implements them with Prometheus types).
class QueueMetrics {
 public:
  virtual ~QueueMetrics() = default;
  /// A key was added (whether or not it was already queued).
  virtual void on_add() = 0;
  /// Keys waiting to be handed to a worker.
  virtual void on_depth(std::size_t depth) = 0;
  /// How long a key waited in the queue before a worker took it.
  virtual void on_queue_latency(double seconds) = 0;
  /// How long a worker held a key (get() to done()).
  virtual void on_work_duration(double seconds) = 0;
  /// A key was re-added through the rate limiter.
  virtual void on_retry() = 0;
  /// Keys held by workers now: the seconds they have been held in all, and
  /// the longest any has been held (0 and 0 when none is). Reported every
  /// half second, as client-go does, so a stuck reconcile shows while it
  /// is stuck rather than when it ends.
  virtual void on_unfinished_work(double total_seconds, double longest_seconds) = 0;
};

}  // namespace schemagate::workqueue
