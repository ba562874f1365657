#pragma once

#include <string>

#include "controller/reconciler.h"
#include "workqueue/work_queue.h"

namespace schemagate::controller {

/// Hook for /metrics: one reconcile finished.
class ReconcileMetrics {
 public:
  virtual ~ReconcileMetrics() = default;
  virtual void on_reconcile(const std::string& controller, bool success, double seconds) = 0;
};

/// Runs workers that take keys from the queue and reconcile them: success
/// forgets the key's backoff (and requeues it after `requeue_after` if asked),
/// failure re-adds it rate limited.
class Controller {
 public:
  Controller(std::string name, workqueue::WorkQueue& queue, Reconciler& reconciler,
             ReconcileMetrics* metrics = nullptr)
      : name_(std::move(name)), queue_(queue), reconciler_(reconciler), metrics_(metrics) {}

  /// Runs `workers` threads until the queue is shut down, then returns once
  /// every worker has finished its current key.
  void run(int workers);

  /// Takes one key and reconciles it; false once the queue is shut down.
  bool process_next();

 private:
  std::string name_;
  workqueue::WorkQueue& queue_;
  Reconciler& reconciler_;
  ReconcileMetrics* metrics_;
};

}  // namespace schemagate::controller
