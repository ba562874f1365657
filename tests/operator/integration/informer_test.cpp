#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "kube/update_with_retry.h"
#include "migrationjob/resources.h"
#include "operator/integration/control_plane_fixture.h"
#include "watch/informer.h"

using namespace std::chrono_literals;
using schemagate::StopSignal;
using schemagate::migrationjob::kMigrationJobs;
using schemagate::migrationjob::kSecrets;
using schemagate::migrationjob::kSecretsFieldSelector;
using schemagate::kube::ApiResult;
using schemagate::kube::ApiStatus;
using schemagate::kube::Json;
using schemagate::kube::ObjectList;
using schemagate::kube::WatchEvent;
using schemagate::testing::ControlPlaneFixture;
using schemagate::testing::eventually;
using schemagate::testing::migration_job;
using schemagate::watch::ClientListWatcher;
using schemagate::watch::Delta;
using schemagate::watch::Informer;
using schemagate::watch::InformerOptions;

namespace {

// The real list/watch, with a gate the test can close so that the next list
// waits: the test expires the informer's watch (410, as after an etcd
// compaction) and changes the world before the informer can list again, so
// only that list can tell it what happened in the gap.
class GatedListWatcher final : public schemagate::watch::ListWatcher {
 public:
  explicit GatedListWatcher(schemagate::watch::ListWatcher& inner) : inner_(inner) {}

  ApiResult<ObjectList> list() override {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      waiting_ = closed_;
      changed_.notify_all();
      // Bounded, so that a test failing while the gate is closed can still
      // stop its informer (list() has no stop signal).
      changed_.wait_for(lock, 120s, [&] { return !closed_; });
      waiting_ = false;
    }
    return inner_.list();
  }
  ApiStatus watch(const std::string& version,
                  const std::function<bool(const WatchEvent&)>& on_event,
                  StopSignal& stop) override {
    return inner_.watch(version, on_event, stop);
  }
  std::string describe() const override { return inner_.describe(); }

  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = false;
    changed_.notify_all();
  }
  /// Waits until a list call is held at the closed gate.
  bool wait_until_held() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, 60s, [&] { return waiting_; });
  }

 private:
  schemagate::watch::ListWatcher& inner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool closed_ = false;
  bool waiting_ = false;
};

class RestartCounter final : public schemagate::watch::WatchMetrics {
 public:
  void on_watch_restart(const std::string&, const std::string& reason) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++reasons[reason];
  }
  int count(const std::string& reason) {
    std::lock_guard<std::mutex> lock(mutex);
    return reasons[reason];
  }
  std::mutex mutex;
  std::map<std::string, int> reasons;
};

// What handlers saw: per key, the deliveries in order.
class Recorder {
 public:
  void record(const Delta& delta) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string version = schemagate::kube::resource_version_of(delta.object);
    std::string entry = (delta.type == Delta::Type::kDeleted ? "deleted@" : "present@") + version;
    seen_[delta.key].push_back(entry);
  }
  std::map<std::string, std::vector<std::string>> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<std::string>> seen_;
};

// Runs an informer on its own thread for the duration of a test.
struct RunningInformer {
  RunningInformer(schemagate::watch::ListWatcher& source, RestartCounter& restarts)
      : informer(source, options(restarts)) {
    informer.add_handler([this](const Delta& delta) { recorder.record(delta); });
    thread = std::thread([this] { informer.run(stop); });
  }
  ~RunningInformer() {
    stop.request_stop();
    thread.join();
  }
  static InformerOptions options(RestartCounter& restarts) {
    InformerOptions result;
    result.backoff = {10ms, 200ms, 2.0, 0.1};
    result.metrics = &restarts;
    return result;
  }

  Informer informer;
  Recorder recorder;
  StopSignal stop;
  std::thread thread;
};

// The server's final state in the test's namespace: key -> resourceVersion.
std::map<std::string, std::string> server_state(schemagate::kube::Client& client,
                                                const std::string& ns) {
  auto list = client.list_all(kMigrationJobs, ns);
  REQUIRE(list.ok());
  std::map<std::string, std::string> state;
  for (const auto& item : list->items) {
    state[schemagate::kube::object_key(item)] = schemagate::kube::resource_version_of(item);
  }
  return state;
}

std::map<std::string, std::string> cache_state(const Informer& informer) {
  std::map<std::string, std::string> state;
  for (const auto& item : informer.store().list()) {
    state[schemagate::kube::object_key(item)] = schemagate::kube::resource_version_of(item);
  }
  return state;
}

// Every key's last delivery matches the server, and nothing was delivered
// twice in a row.
void check_no_final_state_lost_or_duplicated(Recorder& recorder,
                                             const std::map<std::string, std::string>& server,
                                             const std::set<std::string>& deleted) {
  auto seen = recorder.seen();
  for (const auto& [key, version] : server) {
    INFO(key);
    REQUIRE(seen.count(key));
    CHECK(seen[key].back() == "present@" + version);
  }
  for (const auto& key : deleted) {
    INFO(key);
    REQUIRE(seen.count(key));
    CHECK(seen[key].back().rfind("deleted@", 0) == 0);
  }
  for (const auto& [key, deliveries] : seen) {
    INFO(key);
    for (size_t i = 1; i < deliveries.size(); ++i) CHECK(deliveries[i] != deliveries[i - 1]);
  }
}

// The client does not repeat a write answered 500 (it may have been
// applied); these writes are idempotent enough for the test to repeat them.
template <typename Write>
bool write_through_faults(Write write) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto result = write();
    if (result.ok()) return true;
    if (result.error().kind() == schemagate::kube::ErrorKind::kAlreadyExists) return true;
    if (result.error().kind() != schemagate::kube::ErrorKind::kServerError) return false;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

Json with_image(Json job, const std::string& image) {
  job["spec"]["image"] = Json::string(image);
  return job;
}

}  // namespace

TEST_CASE("control plane: the informer survives forced watch closes and an expired watch (410)",
          "[integration][informer]") {
  ControlPlaneFixture fixture;
  auto& client = *fixture.client;
  const std::string& ns = fixture.ns;
  for (const char* name : {"a", "b", "c"}) {
    REQUIRE(client.create(kMigrationJobs, ns, migration_job(ns, name)).ok());
  }
  // Pages of 2: the lists page through continue tokens.
  ClientListWatcher real(client, kMigrationJobs, ns, "", "", 2);
  GatedListWatcher gated(real);
  RestartCounter restarts;
  RunningInformer running(gated, restarts);
  REQUIRE(eventually([&] { return running.informer.has_synced(); }));
  REQUIRE(eventually([&] { return cache_state(running.informer) == server_state(client, ns); }));

  // A forced close: the informer resumes from its resourceVersion.
  REQUIRE(eventually([&] { return fixture.open_watch_count() == 1; }));
  REQUIRE(fixture.close_all_watches() == 1);
  auto a = client.get(kMigrationJobs, ns, "a");
  REQUIRE(a.ok());
  REQUIRE(client.update(kMigrationJobs, with_image(*a, "img:2")).ok());
  REQUIRE(eventually([&] { return cache_state(running.informer) == server_state(client, ns); }));
  // A closed stream ends cleanly or breaks, depending on timing.
  CHECK(eventually([&] { return restarts.count("closed") + restarts.count("error") >= 1; }));
  CHECK(restarts.count("gone") == 0);

  // A gap ended by 410 Expired: b deleted, d created, c changed while the
  // informer cannot list; it learns of them only by listing again.
  gated.close();
  REQUIRE(eventually([&] { return fixture.open_watch_count() == 1; }));
  REQUIRE(fixture.expire_watches() == 1);
  REQUIRE(gated.wait_until_held());
  REQUIRE(client.remove(kMigrationJobs, ns, "b").ok());
  REQUIRE(client.create(kMigrationJobs, ns, migration_job(ns, "d")).ok());
  auto c = client.get(kMigrationJobs, ns, "c");
  REQUIRE(c.ok());
  REQUIRE(client.update(kMigrationJobs, with_image(*c, "img:3")).ok());
  gated.open();

  REQUIRE(eventually([&] { return cache_state(running.informer) == server_state(client, ns); }));
  CHECK(restarts.count("gone") == 1);
  check_no_final_state_lost_or_duplicated(running.recorder, server_state(client, ns), {ns + "/b"});
}

TEST_CASE("control plane: the informer rides out bursts of 500 and 429",
          "[integration][informer]") {
  ControlPlaneFixture fixture;
  auto& client = *fixture.client;
  const std::string& ns = fixture.ns;
  REQUIRE(client.create(kMigrationJobs, ns, migration_job(ns, "a")).ok());
  ClientListWatcher real(client, kMigrationJobs, ns);
  RestartCounter restarts;
  RunningInformer running(real, restarts);
  REQUIRE(eventually([&] { return cache_state(running.informer) == server_state(client, ns); }));

  for (int round = 0; round < 2; ++round) {
    REQUIRE(eventually([&] { return fixture.open_watch_count() == 1; }));
    // The failures hit the reopened watch (and possibly a relist); our own
    // writes below retry through them too.
    fixture.fail_next(4, round == 0 ? 500 : 429, 1);
    fixture.close_all_watches();
    REQUIRE(write_through_faults([&] {
      return client.create(kMigrationJobs, ns,
                           migration_job(ns, "burst-" + std::to_string(round)));
    }));
    REQUIRE(write_through_faults([&] {
      return schemagate::kube::update_with_retry(client, kMigrationJobs, ns, "a",
                                                 [&](Json& job) {
                                                   job = with_image(job, "img:" +
                                                                             std::to_string(round));
                                                   return true;
                                                 });
    }));
  }
  REQUIRE(client.remove(kMigrationJobs, ns, "burst-0").ok());
  REQUIRE(eventually([&] { return cache_state(running.informer) == server_state(client, ns); }));
  CHECK(restarts.count("error") + restarts.count("closed") >= 2);
  check_no_final_state_lost_or_duplicated(running.recorder, server_state(client, ns),
                                          {ns + "/burst-0"});
  // Every injected failure was met: the writes above succeed only once the
  // proxy has no failure left to give.
  CHECK(fixture.injected_count() == 8);
}

TEST_CASE("control plane: the Secrets informer leaves Helm's release Secrets out",
          "[integration][informer]") {
  ControlPlaneFixture fixture;
  auto& client = *fixture.client;
  const std::string& ns = fixture.ns;
  auto secret = [&](const std::string& name, const std::string& type) {
    return Json::parse(R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": ")" + name +
                       R"(", "namespace": ")" + ns + R"("}, "type": ")" + type +
                       R"(", "stringData": {"url": "postgresql://db/app"}})");
  };
  REQUIRE(client.create(kSecrets, ns, secret("db-listed", "Opaque")).ok());
  REQUIRE(client.create(kSecrets, ns, secret("sh.helm.release.v1.app.v1", "helm.sh/release.v1")).ok());
  ClientListWatcher real(client, kSecrets, ns, "", kSecretsFieldSelector);
  RestartCounter restarts;
  RunningInformer running(real, restarts);
  // Listed, then watched: a Helm release Secret arrives by neither.
  REQUIRE(client.create(kSecrets, ns, secret("sh.helm.release.v1.app.v2", "helm.sh/release.v1")).ok());
  REQUIRE(client.create(kSecrets, ns, secret("db-watched", "Opaque")).ok());
  // Events come in the order of the writes: once the last one is cached,
  // any Helm Secret let through would be too.
  REQUIRE(eventually([&] { return running.informer.store().get(ns + "/db-watched").has_value(); }));
  auto keys = running.informer.store().keys();
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{ns + "/db-listed", ns + "/db-watched"});
  // Cut down to its key names as it was cached.
  auto cached = running.informer.store().get(ns + "/db-watched");
  REQUIRE(cached);
  CHECK(cached->serialize().find("postgresql://") == std::string::npos);
}
