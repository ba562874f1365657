#include <catch2/catch.hpp>

#include <optional>

#include "controller/leader_election.h"
#include "support/fake_clock.h"

using namespace std::chrono_literals;
using schemagate::StopSignal;
using schemagate::kube::format_micro_time;
using schemagate::controller::LeaderElectionConfig;
using schemagate::controller::LeaderElector;
using schemagate::controller::lease_from_json;
using schemagate::controller::lease_to_json;
using schemagate::controller::LeaseLock;
using schemagate::controller::LeaseRecord;
using schemagate::kube::ApiError;
using schemagate::kube::ApiResult;
using schemagate::kube::ApiStatus;
using schemagate::kube::Done;
using schemagate::kube::ErrorKind;
using schemagate::testing::FakeClock;

namespace {

// A Lease in memory with the API server's optimistic concurrency.
class MemoryLeaseLock final : public LeaseLock {
 public:
  std::optional<LeaseRecord> stored;
  int version = 0;
  bool failing = false;
  std::function<void()> on_update = [] {};

  ApiResult<LeaseRecord> get() override {
    if (failing) return ApiError(ErrorKind::kServerError, "down", 503);
    if (!stored) return ApiError(ErrorKind::kNotFound, "no lease", 404);
    return *stored;
  }
  ApiStatus create(const LeaseRecord& record) override {
    if (stored) return ApiError(ErrorKind::kAlreadyExists, "exists", 409, "AlreadyExists");
    stored = record;
    stored->resource_version = std::to_string(++version);
    return Done{};
  }
  ApiStatus update(const LeaseRecord& record) override {
    if (failing) return ApiError(ErrorKind::kServerError, "down", 503);
    if (!stored || record.resource_version != stored->resource_version) {
      return ApiError(ErrorKind::kConflict, "stale", 409, "Conflict");
    }
    stored = record;
    stored->resource_version = std::to_string(++version);
    on_update();
    return Done{};
  }
  std::string describe() const override { return "ns/lease"; }
};

LeaderElectionConfig config_for(const std::string& identity, FakeClock& clock) {
  LeaderElectionConfig config;
  config.identity = identity;
  config.lease_duration = 15s;
  config.renew_deadline = 10s;
  config.retry_period = 2s;
  config.clock = &clock;
  return config;
}

}  // namespace

TEST_CASE("MicroTime is RFC 3339 with microseconds in UTC", "[leader]") {
  auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1795000000)) +
              std::chrono::microseconds(42);
  CHECK(format_micro_time(time) == "2026-11-18T11:06:40.000042Z");
}

TEST_CASE("a lease round-trips through its JSON", "[leader]") {
  LeaseRecord record{"pod-a", 15, "2026-11-18T09:46:40.000000Z", "2026-11-18T09:46:50.000000Z",
                     3, "77"};
  auto json = lease_to_json("ops", "schemagate", record);
  CHECK(json.at("spec").at("holderIdentity").as_string() == "pod-a");
  CHECK(json.at("spec").at("leaseDurationSeconds").as_integer() == 15);
  CHECK(json.at("metadata").at("resourceVersion").as_string() == "77");
  LeaseRecord back = lease_from_json(json);
  CHECK(back.same_as(record));
  CHECK(back.resource_version == "77");
}

TEST_CASE("exactly one candidate holds a fresh lease", "[leader]") {
  FakeClock clock;
  MemoryLeaseLock lock;
  LeaderElector a(lock, config_for("a", clock));
  LeaderElector b(lock, config_for("b", clock));
  CHECK(a.try_acquire_or_renew());
  CHECK_FALSE(b.try_acquire_or_renew());
  CHECK(lock.stored->holder_identity == "a");
  CHECK(lock.stored->lease_duration_seconds == 15);
  CHECK(lock.stored->lease_transitions == 0);
  clock.advance(2s);
  CHECK(a.try_acquire_or_renew());  // renewal keeps acquireTime, moves renewTime
  CHECK(lock.stored->acquire_time != lock.stored->renew_time);
  clock.advance(10s);
  CHECK_FALSE(b.try_acquire_or_renew());  // b saw it change 10 s ago: still valid
  CHECK(b.observed_holder() == "a");
}

TEST_CASE("a lease not renewed for its duration is taken over", "[leader]") {
  FakeClock clock;
  MemoryLeaseLock lock;
  LeaderElector a(lock, config_for("a", clock));
  LeaderElector b(lock, config_for("b", clock));
  REQUIRE(a.try_acquire_or_renew());
  CHECK_FALSE(b.try_acquire_or_renew());
  clock.advance(14s);
  CHECK_FALSE(b.try_acquire_or_renew());
  clock.advance(1s);  // a died: 15 s without a change, as b observed it
  CHECK(b.try_acquire_or_renew());
  CHECK(lock.stored->holder_identity == "b");
  CHECK(lock.stored->lease_transitions == 1);
  CHECK_FALSE(a.try_acquire_or_renew());  // the old leader learns it lost
  CHECK_FALSE(a.is_leader());
}

TEST_CASE("a released lease is taken at once", "[leader]") {
  FakeClock clock;
  MemoryLeaseLock lock;
  LeaderElector a(lock, config_for("a", clock));
  LeaderElector b(lock, config_for("b", clock));
  REQUIRE(a.try_acquire_or_renew());
  CHECK_FALSE(b.try_acquire_or_renew());
  a.release();
  CHECK(lock.stored->holder_identity.empty());
  CHECK_FALSE(a.is_leader());
  CHECK(b.try_acquire_or_renew());
  CHECK(lock.stored->lease_transitions == 1);
}

TEST_CASE("run renews until stopped, then releases", "[leader]") {
  FakeClock clock;
  MemoryLeaseLock lock;
  LeaderElector elector(lock, config_for("a", clock));
  StopSignal stop;
  // The fake clock returns from every sleep at once: stop after a few renewals.
  lock.on_update = [&] {
    if (lock.version == 4) stop.request_stop();
  };
  int started = 0;
  int stopped = 0;
  bool ended_by_stop = elector.run(stop, [&] { ++started; }, [&] { ++stopped; });
  CHECK(ended_by_stop);
  CHECK(started == 1);
  CHECK(stopped == 1);
  CHECK(lock.stored->holder_identity.empty());  // released
  CHECK_FALSE(elector.is_leader());
}

TEST_CASE("the leader metric is 0 while campaigning, 1 while leading, 0 after", "[leader]") {
  struct Recorder final : schemagate::controller::LeaderMetrics {
    std::vector<std::string> seen;
    void on_leading(const std::string& name, bool leading) override {
      seen.push_back(name + "=" + (leading ? "1" : "0"));
    }
  } metrics;
  FakeClock clock;
  MemoryLeaseLock lock;
  auto config = config_for("a", clock);
  config.name = "schemagate-operator-leader";
  config.metrics = &metrics;
  LeaderElector elector(lock, config);
  StopSignal stop;
  std::vector<std::string> while_leading;
  elector.run(
      stop, [&] { while_leading = metrics.seen; stop.request_stop(); }, [] {});
  CHECK(while_leading == std::vector<std::string>{"schemagate-operator-leader=0",
                                                  "schemagate-operator-leader=1"});
  CHECK(metrics.seen.back() == "schemagate-operator-leader=0");
}

TEST_CASE("run gives up leadership when renewal fails for the renew deadline", "[leader]") {
  FakeClock clock;
  MemoryLeaseLock lock;
  LeaderElector elector(lock, config_for("a", clock));
  StopSignal stop;
  int stopped = 0;
  bool ended_by_stop = elector.run(stop, [&] { lock.failing = true; }, [&] { ++stopped; });
  CHECK_FALSE(ended_by_stop);
  CHECK(stopped == 1);
  CHECK_FALSE(elector.is_leader());
  // Renewal attempts every 2 s until 10 s had passed without success.
  CHECK(clock.sleeps() == std::vector<std::chrono::nanoseconds>(5, 2s));
}

TEST_CASE("a candidate campaigns until the holder's lease expires", "[leader]") {
  FakeClock clock;
  MemoryLeaseLock lock;
  LeaderElector holder(lock, config_for("a", clock));
  REQUIRE(holder.try_acquire_or_renew());
  LeaderElector candidate(lock, config_for("b", clock));
  StopSignal stop;
  lock.on_update = [&] {
    if (lock.stored->holder_identity == "b") stop.request_stop();
  };
  candidate.run(stop, [] {}, [] {});
  // It took over only after the lease went unrenewed for 15 s.
  std::chrono::nanoseconds waited{0};
  for (auto sleep : clock.sleeps()) waited += sleep;
  CHECK(waited >= 15s);
  CHECK(lock.stored->lease_transitions == 1);
}
