#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "workqueue/work_queue.h"

using namespace std::chrono_literals;
using schemagate::workqueue::ExponentialRateLimiter;
using schemagate::workqueue::WorkQueue;

namespace {

std::unique_ptr<ExponentialRateLimiter> fast_limiter() {
  return std::make_unique<ExponentialRateLimiter>(1ms, 10ms);
}

}  // namespace

TEST_CASE("a key added several times is handed out once", "[workqueue]") {
  WorkQueue queue(fast_limiter());
  queue.add("ns/a");
  queue.add("ns/b");
  queue.add("ns/a");
  CHECK(queue.len() == 2);
  CHECK(queue.get() == std::optional<std::string>("ns/a"));
  CHECK(queue.get() == std::optional<std::string>("ns/b"));
  CHECK(queue.len() == 0);
}

TEST_CASE("a key re-added while held is queued again only after done", "[workqueue]") {
  WorkQueue queue(fast_limiter());
  queue.add("k");
  auto held = queue.get();
  REQUIRE(held);
  queue.add("k");
  queue.add("k");
  CHECK(queue.len() == 0);  // not handed to a second worker
  queue.done("k");
  CHECK(queue.len() == 1);
  CHECK(queue.get() == std::optional<std::string>("k"));
  queue.done("k");
  CHECK(queue.len() == 0);
}

TEST_CASE("shut_down wakes getters; queued keys are still handed out", "[workqueue]") {
  WorkQueue queue(fast_limiter());
  queue.add("left");
  std::optional<std::string> first;
  queue.shut_down();
  queue.add("refused");
  first = queue.get();
  CHECK(first == std::optional<std::string>("left"));
  CHECK_FALSE(queue.get());

  WorkQueue idle(fast_limiter());
  std::thread waiter([&] { CHECK_FALSE(idle.get()); });
  idle.shut_down();
  waiter.join();
}

TEST_CASE("shut_down_with_drain waits for held keys", "[workqueue]") {
  WorkQueue queue(fast_limiter());
  queue.add("k");
  auto key = queue.get();
  std::atomic<bool> drained{false};
  std::thread drainer([&] {
    queue.shut_down_with_drain();
    drained = true;
  });
  // The drain cannot finish before done(), whatever the scheduling.
  std::this_thread::sleep_for(20ms);
  CHECK_FALSE(drained);
  queue.done(*key);
  drainer.join();
  CHECK(drained);
}

TEST_CASE("add_after queues later; add_rate_limited follows the limiter", "[workqueue]") {
  WorkQueue queue(std::make_unique<ExponentialRateLimiter>(1ms, 1000s));
  queue.add_after("later", std::chrono::hours(1));
  CHECK(queue.len() == 0);
  queue.add_after("now", 0ms);
  CHECK(queue.len() == 1);
  queue.add_after("soon", 1ms);
  queue.get();  // "now"
  CHECK(queue.get() == std::optional<std::string>("soon"));

  queue.add_rate_limited("retry");
  queue.add_rate_limited("retry");
  CHECK(queue.num_requeues("retry") == 2);
  CHECK(queue.get() == std::optional<std::string>("retry"));
  queue.forget("retry");
  CHECK(queue.num_requeues("retry") == 0);
}

TEST_CASE("under concurrency no key is processed by two workers at once", "[workqueue]") {
  WorkQueue queue(fast_limiter());
  constexpr int kKeys = 20;
  constexpr int kProducers = 4;
  constexpr int kWorkers = 6;
  std::mutex mutex;
  std::set<std::string> in_flight;
  std::map<std::string, int> last_seen_version;
  std::atomic<int> overlaps{0};
  std::atomic<int> version{0};
  std::map<std::string, int> written;  // the latest "state" of each key

  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&] {
      while (auto key = queue.get()) {
        {
          std::lock_guard<std::mutex> lock(mutex);
          if (!in_flight.insert(*key).second) ++overlaps;
          last_seen_version[*key] = written[*key];
        }
        std::this_thread::yield();
        {
          std::lock_guard<std::mutex> lock(mutex);
          in_flight.erase(*key);
        }
        queue.done(*key);
      }
    });
  }
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < 500; ++i) {
        std::string key = "ns/k" + std::to_string((i * 7 + p) % kKeys);
        {
          std::lock_guard<std::mutex> lock(mutex);
          written[key] = ++version;
        }
        queue.add(key);
      }
    });
  }
  for (auto& producer : producers) producer.join();
  queue.shut_down_with_drain();
  for (auto& worker : workers) worker.join();

  CHECK(overlaps == 0);
  // Every key was processed after its last change: nothing was lost.
  for (const auto& [key, latest] : written) {
    INFO(key);
    CHECK(last_seen_version[key] == latest);
  }
}
