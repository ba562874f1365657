#include <catch2/catch.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "controller/controller.h"

using namespace std::chrono_literals;
using schemagate::Error;
using schemagate::ErrorCode;
using schemagate::Result;
using schemagate::controller::Controller;
using schemagate::controller::ReconcileResult;
using schemagate::controller::Reconciler;
using schemagate::workqueue::ExponentialRateLimiter;
using schemagate::workqueue::WorkQueue;

namespace {

// Fails each key a given number of times, then succeeds.
class FlakyReconciler final : public Reconciler {
 public:
  std::map<std::string, int> failures_left;
  std::map<std::string, int> calls;
  std::optional<std::chrono::nanoseconds> requeue_after;
  std::mutex mutex;

  Result<ReconcileResult> reconcile(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++calls[key];
    if (failures_left[key] > 0) {
      --failures_left[key];
      return Error(ErrorCode::kUnreachable, "transient");
    }
    return ReconcileResult{requeue_after};
  }
};

struct RecordingMetrics final : schemagate::controller::ReconcileMetrics {
  std::vector<std::string> outcomes;
  int workers = 0;
  int active = 0;
  int most_active = 0;
  void on_reconcile(const std::string& controller,
                    schemagate::controller::ReconcileOutcome outcome, double seconds) override {
    CHECK(seconds >= 0);
    outcomes.push_back(controller + ":" + to_string(outcome));
  }
  void on_workers(const std::string&, int count) override { workers = count; }
  void on_active_workers(const std::string&, int change) override {
    active += change;
    most_active = std::max(most_active, active);
  }
};

}  // namespace

TEST_CASE("reconciles are counted by outcome, as controller-runtime labels them",
          "[controller]") {
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 10ms));
  FlakyReconciler reconciler;
  reconciler.failures_left["ns/a"] = 1;
  RecordingMetrics metrics;
  Controller controller("migrationjob", queue, reconciler, &metrics);
  queue.add("ns/a");
  CHECK(controller.process_next());  // error
  CHECK(controller.process_next());  // success
  reconciler.requeue_after = 1h;
  queue.add("ns/b");
  CHECK(controller.process_next());  // requeue_after
  CHECK(metrics.outcomes == std::vector<std::string>{"migrationjob:error", "migrationjob:success",
                                                     "migrationjob:requeue_after"});
  CHECK(metrics.active == 0);
  CHECK(metrics.most_active == 1);
  queue.shut_down();
  controller.run(3);
  CHECK(metrics.workers == 3);
}

TEST_CASE("a failed reconcile is retried with backoff; success forgets it", "[controller]") {
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 10ms));
  FlakyReconciler reconciler;
  reconciler.failures_left["ns/a"] = 2;
  Controller controller("test", queue, reconciler);
  queue.add("ns/a");
  CHECK(controller.process_next());  // fails
  CHECK(queue.num_requeues("ns/a") == 1);
  CHECK(controller.process_next());  // fails again, after its delay
  CHECK(queue.num_requeues("ns/a") == 2);
  CHECK(controller.process_next());  // succeeds
  CHECK(queue.num_requeues("ns/a") == 0);
  CHECK(reconciler.calls["ns/a"] == 3);
  CHECK(queue.len() == 0);
}

TEST_CASE("requeue_after brings the key back", "[controller]") {
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 10ms));
  FlakyReconciler reconciler;
  reconciler.requeue_after = 1ms;
  Controller controller("test", queue, reconciler);
  queue.add("ns/a");
  CHECK(controller.process_next());
  CHECK(controller.process_next());  // came back by itself
  CHECK(reconciler.calls["ns/a"] == 2);
}

TEST_CASE("run returns once the queue shuts down", "[controller]") {
  WorkQueue queue;
  FlakyReconciler reconciler;
  Controller controller("test", queue, reconciler);
  for (int i = 0; i < 50; ++i) queue.add("ns/k" + std::to_string(i));
  queue.shut_down();
  controller.run(3);
  CHECK(reconciler.calls.size() == 50);
}

namespace {

// Records, per key, whether two reconciles of it ever overlapped, and holds
// each reconcile until `parallel` of them are in flight at once (or a worker
// is left alone with nothing else to wait for), so the test sees the workers
// run side by side without depending on timing.
class OverlapReconciler final : public Reconciler {
 public:
  explicit OverlapReconciler(int parallel) : parallel_(parallel) {}

  Result<ReconcileResult> reconcile(const std::string& key) override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!in_flight_.insert(key).second) ++overlaps;
    ++calls[key];
    most_in_flight = std::max(most_in_flight, static_cast<int>(in_flight_.size()));
    if (static_cast<int>(in_flight_.size()) >= parallel_) reached_ = true;
    changed_.notify_all();
    // Bounded: a worker left without company (the last keys) goes on.
    changed_.wait_for(lock, 5s, [this] { return reached_; });
    in_flight_.erase(key);
    return ReconcileResult{};
  }

  std::mutex mutex_;
  std::map<std::string, int> calls;
  int overlaps = 0;
  int most_in_flight = 0;

 private:
  const int parallel_;
  bool reached_ = false;
  std::set<std::string> in_flight_;
  std::condition_variable changed_;
};

}  // namespace

TEST_CASE("several workers reconcile different keys at once, never one key twice at once",
          "[controller]") {
  constexpr int kWorkers = 8;
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 10ms));
  OverlapReconciler reconciler(kWorkers);
  Controller controller("test", queue, reconciler);
  std::thread workers([&] { controller.run(kWorkers); });
  // Keys arrive again and again while they are being reconciled, as watch
  // events of a MigrationJob and its Job do.
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 40; ++i) queue.add("ns/k" + std::to_string(i % 12));
  }
  queue.shut_down_with_drain();
  workers.join();

  std::lock_guard<std::mutex> lock(reconciler.mutex_);
  CHECK(reconciler.overlaps == 0);
  CHECK(reconciler.most_in_flight == kWorkers);
  CHECK(reconciler.calls.size() == 12);
}
