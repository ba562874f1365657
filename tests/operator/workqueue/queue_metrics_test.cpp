#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

#include "workqueue/work_queue.h"

using namespace std::chrono_literals;
using schemagate::workqueue::ExponentialRateLimiter;
using schemagate::workqueue::QueueMetrics;
using schemagate::workqueue::WorkQueue;

namespace {

struct RecordingMetrics final : QueueMetrics {
  std::mutex mutex;
  int adds = 0;
  int retries = 0;
  std::size_t depth = 0;
  std::vector<double> latencies;
  std::vector<double> work;
  int unfinished_reports = 0;
  double unfinished = -1;
  double longest = -1;

  void on_add() override { std::lock_guard<std::mutex> lock(mutex); ++adds; }
  void on_depth(std::size_t value) override { std::lock_guard<std::mutex> lock(mutex); depth = value; }
  void on_queue_latency(double seconds) override {
    std::lock_guard<std::mutex> lock(mutex);
    latencies.push_back(seconds);
  }
  void on_work_duration(double seconds) override {
    std::lock_guard<std::mutex> lock(mutex);
    work.push_back(seconds);
  }
  void on_retry() override { std::lock_guard<std::mutex> lock(mutex); ++retries; }
  void on_unfinished_work(double total, double longest_seconds) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++unfinished_reports;
    unfinished = total;
    longest = longest_seconds;
  }
};

}  // namespace

TEST_CASE("the queue reports adds, depth, waiting and working times", "[workqueue][metrics]") {
  RecordingMetrics metrics;
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 10ms), &metrics);
  queue.add("a");
  queue.add("b");
  queue.add("a");  // counted, not queued twice
  CHECK(metrics.adds == 3);
  CHECK(metrics.depth == 2);
  auto key = queue.get();
  REQUIRE(key);
  CHECK(metrics.depth == 1);
  CHECK(metrics.latencies.size() == 1);
  queue.done(*key);
  CHECK(metrics.work.size() == 1);
  queue.add_rate_limited("c");
  CHECK(metrics.retries == 1);
}

TEST_CASE("work held by a worker shows as unfinished until done", "[workqueue][metrics]") {
  RecordingMetrics metrics;
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 10ms), &metrics);
  queue.add("a");
  queue.add("b");
  auto a = queue.get();
  auto b = queue.get();
  REQUIRE(a);
  REQUIRE(b);
  std::this_thread::sleep_for(20ms);  // so that held time is measurably positive
  queue.report_unfinished_work();
  {
    std::lock_guard<std::mutex> lock(metrics.mutex);
    CHECK(metrics.longest >= 0.02);
    CHECK(metrics.unfinished >= 2 * 0.02);
    CHECK(metrics.unfinished >= metrics.longest);
  }
  queue.done(*a);
  queue.done(*b);
  queue.report_unfinished_work();
  std::lock_guard<std::mutex> lock(metrics.mutex);
  CHECK(metrics.unfinished == 0);
  CHECK(metrics.longest == 0);
}

TEST_CASE("the queue reports unfinished work by itself while it runs", "[workqueue][metrics]") {
  RecordingMetrics metrics;
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 10ms), &metrics);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(metrics.mutex);
      if (metrics.unfinished_reports >= 2) break;
    }
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(10ms);
  }
}
