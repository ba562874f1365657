#pragma once

#include <string>

#include "controller/reconciler.h"
#include "workqueue/work_queue.h"

namespace schemagate::controller {

/// How a reconcile ended, as controller-runtime counts it (the `result`
/// label of controller_runtime_reconcile_total).
enum class ReconcileOutcome { kSuccess, kError, kRequeueAfter };

/// "success", "error", "requeue_after".
const char* to_string(ReconcileOutcome outcome);

/// Hooks for /metrics.
class ReconcileMetrics {
 public:
  virtual ~ReconcileMetrics() = default;
  /// One reconcile finished.
  virtual void on_reconcile(const std::string& controller, ReconcileOutcome outcome,
                            double seconds) = 0;
  /// The controller runs `count` workers.
  virtual void on_workers(const std::string& controller, int count) = 0;
  /// A worker started (+1) or finished (-1) a reconcile.
  virtual void on_active_workers(const std::string& controller, int change) = 0;
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
