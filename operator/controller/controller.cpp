#include "controller/controller.h"

#include <thread>
#include <vector>

#include "schemagate/common/logging.h"

namespace schemagate::controller {
namespace {

Result<ReconcileResult> reconcile_guarded(Reconciler& reconciler, const std::string& key) {
  try {
    return reconciler.reconcile(key);
  } catch (const std::exception& e) {
    // A bug in one reconcile must not take the worker down with it.
    return Error(ErrorCode::kInvalid, std::string("reconcile threw: ") + e.what());
  }
}

}  // namespace

const char* to_string(ReconcileOutcome outcome) {
  switch (outcome) {
    case ReconcileOutcome::kSuccess: return "success";
    case ReconcileOutcome::kError: return "error";
    case ReconcileOutcome::kRequeueAfter: return "requeue_after";
  }
  return "unknown";
}

void Controller::run(int workers) {
  log::info("starting workers", {{"controller", name_}, {"workers", workers}});
  if (metrics_) metrics_->on_workers(name_, workers);
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back([this] {
      while (process_next()) {
      }
    });
  }
  for (auto& thread : threads) thread.join();
  log::info("workers stopped", {{"controller", name_}});
}

bool Controller::process_next() {
  std::optional<std::string> key = queue_.get();
  if (!key) return false;
  auto started = std::chrono::steady_clock::now();
  if (metrics_) metrics_->on_active_workers(name_, +1);
  Result<ReconcileResult> result = reconcile_guarded(reconciler_, *key);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (metrics_) {
    metrics_->on_active_workers(name_, -1);
    ReconcileOutcome outcome = !result                 ? ReconcileOutcome::kError
                               : result->requeue_after ? ReconcileOutcome::kRequeueAfter
                                                       : ReconcileOutcome::kSuccess;
    metrics_->on_reconcile(name_, outcome, seconds);
  }
  if (!result) {
    log::warn("reconcile failed; retrying with backoff",
              {{"controller", name_}, {"key", *key}, {"error", result.error().message()},
               {"requeues", queue_.num_requeues(*key)}});
    queue_.add_rate_limited(*key);
  } else {
    queue_.forget(*key);
    if (result->requeue_after) queue_.add_after(*key, *result->requeue_after);
  }
  queue_.done(*key);
  return true;
}

}  // namespace schemagate::controller
