#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

#include "kube/json_path.h"
#include "kube/update_with_retry.h"
#include "migration/job_builder.h"
#include "migration/resources.h"
#include "operator/integration/api_server_fixture.h"
#include "support/process.h"

using namespace std::chrono_literals;
using namespace schemagate;
using namespace schemagate::migration;
using kube::Json;
using testing::eventually;

namespace {

constexpr const char* kNs = "default";
constexpr const char* kSucceeded = R"({"outcome":"succeeded","revisions":["a84e1c9b3d72"]})";

// The operator binary against the fixture's server, and the parts of a
// cluster it meets: the database Secret, the app's Deployment, and the
// kubelet and Job controller, played by the test through the API.
class Cluster : public testing::ApiServerFixture {
 public:
  Cluster() {
    create(kSecrets, R"({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "db", "namespace": "default"},
        "data": {"url": "cG9zdGdyZXNxbDovL3g="}})");
    create(kDeployments, R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "shop-api", "namespace": "default"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "shop"}},
                 "template": {"metadata": {"labels": {"app": "shop"}},
                              "spec": {"containers": [{"name": "api", "image": "shop:1"}]}}}})");
  }

  std::unique_ptr<testing::Process> start_operator() {
    return std::make_unique<testing::Process>(std::vector<std::string>{
        SCHEMAGATE_OPERATOR_BINARY, "--kubeconfig", server->kubeconfig().string(),
        "--metrics-bind-address", "0", "--health-probe-bind-address", "0"});
  }

  Json create(const kube::ResourceRef& ref, const std::string& text) {
    auto created = client->create(ref, kNs, Json::parse(text));
    INFO((created ? std::string() : created.error().message()));
    REQUIRE(created.ok());
    return *created;
  }

  /// A MigrationJob named `name` using Secret db, gated on shop-api when `gated`.
  void create_migration_job(const std::string& name, bool gated) {
    Json object = testing::migration_job(kNs, name);
    if (gated) object["spec"]["rollout"] = Json::parse(R"({"targetRef": {"kind": "Deployment", "name": "shop-api"}})");
    REQUIRE(client->create(kMigrationJobs, kNs, object).ok());
  }

  /// Creates the MigrationJob and waits until its Job exists (and, when
  /// gated, shop-api is held); returns the Job's name.
  std::string created_with_job(const std::string& name, bool gated) {
    create_migration_job(name, gated);
    const std::string job = current_job(name);
    REQUIRE(eventually([&] { return job_names().size() == 1 && (!gated || paused()); }));
    return job;
  }

  Json get(const kube::ResourceRef& ref, const std::string& name) {
    auto found = client->get(ref, kNs, name);
    return found ? *found : Json::null();
  }
  std::string status(const std::string& name, const char* field) {
    return kube::string_at(get(kMigrationJobs, name), {"status", field});
  }
  std::string condition(const std::string& name, const std::string& type) {
    Json object = get(kMigrationJobs, name);
    const Json* conditions = kube::find_path(object, {"status", "conditions"});
    if (!conditions || !conditions->is_array()) return "";
    for (const Json& item : conditions->as_array()) {
      if (kube::string_at(item, {"type"}) == type) return kube::string_at(item, {"status"});
    }
    return "";
  }
  std::vector<std::string> job_names() {
    std::vector<std::string> names;
    auto listed = client->list(kJobs, kNs);
    if (listed) {
      for (const Json& job : listed->items) names.push_back(kube::name_of(job));
    }
    return names;
  }
  std::string current_job(const std::string& name) {
    Json object = get(kMigrationJobs, name);
    return job_name(name, kube::string_at(object, {"metadata", "uid"}),
                    kube::integer_at(object, {"metadata", "generation"}).value_or(1));
  }
  bool paused() { return kube::bool_at(get(kDeployments, "shop-api"), {"spec", "paused"}); }
  bool gate_annotation() {
    return kube::find_path(get(kDeployments, "shop-api"),
                           {"metadata", "annotations", kGateAnnotation}) != nullptr;
  }
  std::vector<std::string> events() {
    std::vector<std::string> reasons;
    auto listed = client->list(kEvents, kNs);
    if (listed) {
      for (const Json& event : listed->items) {
        reasons.push_back(kube::string_at(event, {"type"}) + "/" +
                          kube::string_at(event, {"reason"}));
      }
    }
    std::sort(reasons.begin(), reasons.end());
    return reasons;
  }
  long count_events(const std::string& type_and_reason) {
    auto reasons = events();
    return std::count(reasons.begin(), reasons.end(), type_and_reason);
  }

  void job_runs(const std::string& job) {
    REQUIRE(server->set_job_status(kNs, job, Json::parse(
        R"({"startTime": "2026-11-22T05:00:00Z", "active": 1})")).ok());
  }
  /// The pod of `job` ends with `message` as its termination message, and
  /// the Job controller marks the Job Complete or Failed.
  void job_ends(const std::string& job, bool success, const std::string& message) {
    Json pod = Json::parse(R"({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"namespace": "default"},
        "spec": {"containers": [{"name": "migrate", "image": "m:1"}]}})");
    pod["metadata"]["name"] = Json::string(job + "-pod");
    pod["metadata"]["labels"]["job-name"] = Json::string(job);
    REQUIRE(client->create(kPods, kNs, pod).ok());
    Json terminated = Json::object();
    terminated["exitCode"] = Json::number(success ? 0 : 1);
    terminated["finishedAt"] = Json::string("2026-11-22T05:01:00Z");
    terminated["message"] = Json::string(message);
    Json container = Json::object();
    container["name"] = Json::string("migrate");
    container["state"]["terminated"] = terminated;
    Json patch = Json::object();
    patch["status"]["containerStatuses"] = Json::array({container});
    REQUIRE(client->merge_patch_status(kPods, kNs, job + "-pod", patch).ok());
    const char* status =
        success ? R"({"startTime": "2026-11-22T05:00:00Z", "completionTime": "2026-11-22T05:01:00Z",
                     "succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]})"
                : R"({"startTime": "2026-11-22T05:00:00Z", "failed": 3,
                     "conditions": [{"type": "Failed", "status": "True",
                                     "reason": "BackoffLimitExceeded",
                                     "message": "Job has reached the specified backoff limit"}]})";
    REQUIRE(server->set_job_status(kNs, job, Json::parse(status)).ok());
  }
};

}  // namespace

TEST_CASE("migration controller: a gated MigrationJob runs its Job and releases the Deployment",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  cluster.create_migration_job("shop", true);
  const std::string job = cluster.current_job("shop");
  REQUIRE(eventually([&] { return cluster.job_names() == std::vector<std::string>{job}; }));
  REQUIRE(eventually([&] { return cluster.paused() && cluster.gate_annotation(); }));
  REQUIRE(eventually([&] { return cluster.condition("shop", "Reconciling") == "True"; }));
  CHECK(cluster.condition("shop", "Ready") == "False");
  CHECK(cluster.status("shop", "jobName") == job);
  auto finalizers = cluster.get(kMigrationJobs, "shop").at("metadata").at("finalizers");
  CHECK(finalizers.serialize() == R"(["schemagate.io/rollout-gate"])");

  cluster.job_runs(job);
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Running"; }));
  cluster.job_ends(job, true, kSucceeded);
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Succeeded"; }));
  CHECK(cluster.condition("shop", "Ready") == "True");
  CHECK(cluster.condition("shop", "Stalled") == "False");
  CHECK(cluster.status("shop", "appliedRevision") == "a84e1c9b3d72");
  CHECK(cluster.status("shop", "completionTime") == "2026-11-22T05:01:00Z");
  REQUIRE(eventually([&] { return !cluster.paused() && !cluster.gate_annotation(); }));
  // The Deployment never had spec.paused: it is removed, not set to false.
  CHECK(kube::find_path(cluster.get(kDeployments, "shop-api"), {"spec", "paused"}) == nullptr);
  REQUIRE(eventually([&] {
    return cluster.events() == std::vector<std::string>{"Normal/RolloutHeld", "Normal/RolloutReleased",
                                                        "Normal/Started", "Normal/Succeeded"};
  }));
  CHECK(cluster.job_names().size() == 1);
}

TEST_CASE("migration controller: a failed Job stalls and keeps the Deployment held",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  const std::string job = cluster.created_with_job("shop", true);
  cluster.job_ends(job, false,
                   R"({"outcome":"failed","exitCode":1,"kind":"migration-failed","error":"versions/b2.sql:7: syntax error"})");
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Failed"; }));
  CHECK(cluster.condition("shop", "Stalled") == "True");
  CHECK(cluster.condition("shop", "Ready") == "False");
  CHECK_THAT(cluster.status("shop", "message"),
             Catch::Contains("versions/b2.sql:7: syntax error") && Catch::Contains("stays held"));
  REQUIRE(eventually([&] { return cluster.count_events("Warning/Failed") == 1; }));
  std::this_thread::sleep_for(300ms);
  CHECK(cluster.paused());
  CHECK(cluster.job_names().size() == 1);
}

TEST_CASE("migration controller: a new generation waits for the running Job, then gets its own",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  const std::string first = cluster.created_with_job("shop", false);
  cluster.job_runs(first);
  REQUIRE(kube::update_with_retry(*cluster.client, kMigrationJobs, kNs, "shop", [](Json& object) {
            object["spec"]["target"] = Json::string("a84e1c9b3d72");
            return true;
          }).ok());
  REQUIRE(eventually([&] {
    return kube::integer_at(cluster.get(kMigrationJobs, "shop"), {"status", "observedGeneration"}) == 2;
  }));
  CHECK(cluster.condition("shop", "Reconciling") == "True");
  CHECK_THAT(cluster.status("shop", "message"), Catch::Contains("waiting for Job " + first));
  std::this_thread::sleep_for(300ms);
  CHECK(cluster.job_names() == std::vector<std::string>{first});

  cluster.job_ends(first, true, kSucceeded);
  const std::string second = cluster.current_job("shop");
  REQUIRE(eventually([&] { return cluster.job_names().size() == 2; }));
  auto args = cluster.get(kJobs, second)["spec"]["template"]["spec"]["containers"][0]["args"];
  CHECK_THAT(args.serialize(), Catch::Contains(R"("upgrade","a84e1c9b3d72")"));
  cluster.job_ends(second, true, kSucceeded);
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Succeeded"; }));
  CHECK(cluster.status("shop", "jobName") == second);
}

TEST_CASE("migration controller: an operator killed mid-run restarts without a second Job",
          "[integration][migration]") {
  Cluster cluster;
  auto first = cluster.start_operator();
  const std::string job = cluster.created_with_job("shop", true);
  first->kill_hard();
  first->wait();

  cluster.job_runs(job);
  auto second = cluster.start_operator();
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Running"; }));
  first = cluster.start_operator();  // and a third, racing the second
  cluster.job_ends(job, true, kSucceeded);
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Succeeded"; }));
  REQUIRE(eventually([&] { return !cluster.paused(); }));
  CHECK(cluster.job_names() == std::vector<std::string>{job});
  CHECK(cluster.count_events("Normal/Started") == 1);
  CHECK(cluster.count_events("Normal/Succeeded") == 1);
}

TEST_CASE("migration controller: converges through closed watches, 410s, 409s and 500s",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  std::atomic<bool> stop{false};
  // Another writer keeps changing the object, so status writes meet 409s.
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      (void)kube::update_with_retry(*cluster.client, kMigrationJobs, kNs, "shop", [i](Json& object) {
        object["metadata"]["annotations"]["touched"] = Json::string(std::to_string(i));
        return true;
      });
      std::this_thread::sleep_for(5ms);
    }
  });
  cluster.create_migration_job("shop", true);
  const std::string job = cluster.current_job("shop");
  for (int round = 0; round < 5; ++round) {
    cluster.server->close_all_watches();
    cluster.server->compact();
    cluster.server->fail_next(3, 500);
    std::this_thread::sleep_for(100ms);
  }
  REQUIRE(eventually([&] { return cluster.job_names().size() == 1 && cluster.paused(); }));
  cluster.job_ends(job, true, kSucceeded);
  for (int round = 0; round < 3; ++round) {
    cluster.server->close_all_watches();
    cluster.server->compact();
    std::this_thread::sleep_for(100ms);
  }
  bool converged = eventually([&] {
    return cluster.status("shop", "phase") == "Succeeded" && !cluster.paused();
  }, 20s);
  stop = true;
  writer.join();
  REQUIRE(converged);
  CHECK(cluster.job_names() == std::vector<std::string>{job});
  CHECK(cluster.condition("shop", "Ready") == "True");
}

TEST_CASE("migration controller: deleting a MigrationJob releases the Deployment it holds",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  cluster.create_migration_job("shop", true);
  REQUIRE(eventually([&] { return cluster.paused() && cluster.gate_annotation(); }));
  REQUIRE(cluster.client->remove(kMigrationJobs, kNs, "shop").ok());
  REQUIRE(eventually([&] { return cluster.get(kMigrationJobs, "shop").is_null(); }));
  CHECK_FALSE(cluster.paused());
  CHECK_FALSE(cluster.gate_annotation());
}

TEST_CASE("migration controller: a missing Secret stalls with its name and makes no Job",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  Json object = testing::migration_job(kNs, "shop");
  object["spec"]["database"]["urlSecretRef"]["name"] = Json::string("absent");
  REQUIRE(cluster.client->create(kMigrationJobs, kNs, object).ok());
  REQUIRE(eventually([&] { return cluster.condition("shop", "Stalled") == "True"; }));
  CHECK(cluster.status("shop", "phase") == "Pending");
  CHECK_THAT(cluster.status("shop", "message"),
             Catch::Contains("Secret default/absent") && Catch::Contains("create it"));
  REQUIRE(eventually([&] {
    auto reasons = cluster.events();
    return reasons == std::vector<std::string>{"Warning/SecretNotFound"};
  }));
  std::this_thread::sleep_for(300ms);
  CHECK(cluster.job_names().empty());
}
