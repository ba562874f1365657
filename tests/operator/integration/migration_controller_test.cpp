#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

#include <cpprest/http_client.h>

#include "kube/json_path.h"
#include "kube/update_with_retry.h"
#include "migrationjob/job_builder.h"
#include "migrationjob/resources.h"
#include "operator/integration/control_plane_fixture.h"
#include "support/process.h"
#include "support/test_database.h"

using namespace std::chrono_literals;
using namespace schemagate;
using namespace schemagate::migrationjob;
using kube::Json;
using testing::eventually;
using testing::holds_for;

namespace {

// The images of tests/kube/images.sh: the runner with the example library's
// migrations, plus one more that waits for the test (held) or fails.
constexpr const char* kRunner = "registry.example/shop-migrations:1.4.0";
constexpr const char* kHeld = "registry.example/shop-migrations:held";
constexpr const char* kFailing = "registry.example/shop-migrations:failing";
constexpr const char* kRunnerHead = "a84e1c9b3d72";
constexpr const char* kHeldHead = "f00d0b10cced";
// A Job really runs here: the Job controller makes its pod, the scheduler
// places it and the node agent runs the runner against PostgreSQL.
constexpr auto kJobDeadline = 180s;

// The operator binary against the real control plane, through the fixture's
// fault proxy, and what it meets there: a database of its own for the test
// case, the Secret with its URL and the app's Deployment.
class Cluster : public testing::ControlPlaneFixture {
 public:
  Cluster() {
    // The held migration loops until a row appears here.
    database.scalar("CREATE TABLE public.e2e_release (released boolean)");
    Json secret = Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "db"}, "stringData": {}})");
    secret["stringData"]["url"] = Json::string(database.url());
    create(kSecrets, secret);
    create(kDeployments, Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "shop-api"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "shop"}},
                 "template": {"metadata": {"labels": {"app": "shop"}},
                              "spec": {"terminationGracePeriodSeconds": 2,
                                       "containers": [{"name": "api",
                                                       "image": "registry.example/shop-api:1.4.0"}]}}}})"));
  }

  /// The operator, serving /metrics on `metrics_port` when it is not 0.
  std::unique_ptr<testing::Process> start_operator(int metrics_port = 0) {
    std::string metrics = metrics_port ? "127.0.0.1:" + std::to_string(metrics_port) : "0";
    return std::make_unique<testing::Process>(std::vector<std::string>{
        SCHEMAGATE_OPERATOR_BINARY, "--kubeconfig", kubeconfig.string(), "--namespace", ns,
        "--metrics-bind-address", metrics, "--health-probe-bind-address", "0"});
  }

  Json create(const kube::ResourceRef& ref, Json object) {
    object["metadata"]["namespace"] = Json::string(ns);
    auto created = direct->create(ref, ns, object);
    INFO((created ? std::string() : created.error().message()));
    REQUIRE(created.ok());
    return *created;
  }

  /// A MigrationJob named `name` using Secret db, gated on shop-api when `gated`.
  void create_migration_job(const std::string& name, bool gated, const std::string& image) {
    Json object = testing::migration_job(ns, name, image);
    if (gated) object["spec"]["rollout"] = Json::parse(R"({"targetRef": {"kind": "Deployment", "name": "shop-api"}})");
    if (image == kFailing) object["spec"]["backoffLimit"] = Json::number(int64_t{0});
    create(kMigrationJobs, object);
  }

  /// Creates the MigrationJob and waits until its Job exists (and, when
  /// gated, shop-api is held); returns the Job's name.
  std::string created_with_job(const std::string& name, bool gated, const std::string& image) {
    create_migration_job(name, gated, image);
    const std::string job = current_job(name);
    REQUIRE(eventually([&] { return job_names().size() == 1 && (!gated || paused()); }));
    return job;
  }

  /// Lets the held migration finish.
  void release() { database.scalar("INSERT INTO public.e2e_release VALUES (true)"); }
  /// The revisions the runner recorded in the database.
  std::string revisions() {
    return database.scalar("SELECT string_agg(version_num, ' ' ORDER BY version_num) FROM schemagate_version");
  }

  Json get(const kube::ResourceRef& ref, const std::string& name) {
    auto found = direct->get(ref, ns, name);
    return found ? *found : Json::null();
  }
  std::string status(const std::string& name, const char* field) {
    return kube::string_at(get(kMigrationJobs, name), {"status", field});
  }
  std::string condition(const std::string& name, const std::string& type,
                        const char* field = "status") {
    Json object = get(kMigrationJobs, name);
    const Json* conditions = kube::find_path(object, {"status", "conditions"});
    if (!conditions || !conditions->is_array()) return "";
    for (const Json& item : conditions->as_array()) {
      if (kube::string_at(item, {"type"}) == type) return kube::string_at(item, {field});
    }
    return "";
  }
  /// The message of the operator's Event of `reason`, "" when there is none.
  std::string event_message(const std::string& reason) {
    auto listed = direct->list(kEvents, ns);
    if (!listed) return "";
    for (const Json& event : listed->items) {
      if (kube::string_at(event, {"involvedObject", "kind"}) == "MigrationJob" &&
          kube::string_at(event, {"reason"}) == reason) {
        return kube::string_at(event, {"message"});
      }
    }
    return "";
  }
  std::vector<std::string> job_names() {
    std::vector<std::string> names;
    auto listed = direct->list(kJobs, ns);
    if (listed) {
      for (const Json& job : listed->items) names.push_back(kube::name_of(job));
    }
    return names;
  }
  /// The node agent runs a pod of `job`.
  bool job_pod_running(const std::string& job) {
    kube::ListOptions options;
    options.label_selector = "job-name=" + job;
    auto listed = direct->list(kPods, ns, options);
    if (!listed) return false;
    return std::any_of(listed->items.begin(), listed->items.end(), [](const Json& pod) {
      return kube::string_at(pod, {"status", "phase"}) == "Running";
    });
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
  /// The operator's Events: those about MigrationJobs (the cluster's
  /// controllers record their own about Jobs, pods and ReplicaSets).
  std::vector<std::string> events() {
    std::vector<std::string> reasons;
    auto listed = direct->list(kEvents, ns);
    if (listed) {
      for (const Json& event : listed->items) {
        if (kube::string_at(event, {"involvedObject", "kind"}) != "MigrationJob") continue;
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

  testing::TestDatabase database;
};

}  // namespace

TEST_CASE("migration controller: a gated MigrationJob runs its Job and releases the Deployment",
          "[integration][migration]") {
  Cluster cluster;
  int metrics_port = testing::free_port();
  auto running = cluster.start_operator(metrics_port);
  auto scrape = [metrics_port] {
    try {
      web::http::client::http_client client("http://127.0.0.1:" + std::to_string(metrics_port));
      return client.request(web::http::methods::GET, "/metrics").get().extract_string(true).get();
    } catch (const std::exception&) {
      return std::string();
    }
  };
  cluster.create_migration_job("shop", true, kHeld);
  const std::string job = cluster.current_job("shop");
  REQUIRE(eventually([&] { return cluster.job_names() == std::vector<std::string>{job}; }));
  REQUIRE(eventually([&] { return cluster.paused() && cluster.gate_annotation(); }));
  REQUIRE(eventually([&] { return cluster.condition("shop", "Reconciling") == "True"; }));
  CHECK(cluster.condition("shop", "Ready") == "False");
  CHECK(cluster.status("shop", "jobName") == job);
  auto finalizers = cluster.get(kMigrationJobs, "shop").at("metadata").at("finalizers");
  CHECK(finalizers.serialize() == R"(["schemagate.io/rollout-gate"])");

  // The runner's pod runs the held migration (the expand phase: the gated
  // MigrationJob has phases auto), and it is still held.
  REQUIRE(eventually([&] { return cluster.job_pod_running(job); }, kJobDeadline));
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Expanding"; }));
  CHECK(cluster.paused());
  REQUIRE(eventually([&] {
    std::string text = scrape();
    return text.find("schemagate_rollouts_held 1") != std::string::npos &&
           text.find("schemagate_migrationjobs{phase=\"Expanding\"} 1") != std::string::npos;
  }));
  cluster.release();
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Succeeded"; }, kJobDeadline));
  CHECK(cluster.condition("shop", "Ready") == "True");
  CHECK(cluster.condition("shop", "Stalled") == "False");
  CHECK(cluster.status("shop", "appliedRevision") == kHeldHead);
  CHECK(cluster.revisions() == kHeldHead);
  CHECK(cluster.status("shop", "completionTime") ==
        kube::string_at(cluster.get(kJobs, job), {"status", "completionTime"}));
  REQUIRE(eventually([&] { return !cluster.paused() && !cluster.gate_annotation(); }));
  REQUIRE(eventually([&] {
    return cluster.events() == std::vector<std::string>{"Normal/RolloutHeld", "Normal/RolloutReleased",
                                                        "Normal/Started", "Normal/Succeeded"};
  }));
  CHECK(cluster.job_names().size() == 1);
  // The run and the hold were timed; the gauges follow the MigrationJob.
  REQUIRE(eventually([&] {
    std::string text = scrape();
    return text.find("schemagate_migration_duration_seconds_count{outcome=\"succeeded\"} 1") !=
               std::string::npos &&
           text.find("schemagate_rollout_hold_seconds_count 1") != std::string::npos &&
           text.find("schemagate_rollouts_held 0") != std::string::npos &&
           text.find("schemagate_migrationjobs{phase=\"Succeeded\"} 1") != std::string::npos;
  }));
}

TEST_CASE("migration controller: a failed Job stalls and keeps the Deployment held",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  const std::string job = cluster.created_with_job("shop", true, kFailing);
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Failed"; }, kJobDeadline));
  CHECK(cluster.condition("shop", "Stalled") == "True");
  CHECK(cluster.condition("shop", "Ready") == "False");
  // The runner's own report, through its termination message.
  CHECK_THAT(cluster.status("shop", "message"),
             Catch::Contains("division by zero") && Catch::Contains("stays held"));
  CHECK(cluster.revisions() == kRunnerHead);
  // The runner's kind (migration-failed) chose the reason and the fix.
  CHECK(cluster.condition("shop", "Ready", "reason") == "MigrationFailed");
  CHECK_THAT(cluster.condition("shop", "Stalled", "message"),
             Catch::Contains("Fix: correct the migration") &&
                 Catch::Contains("kubectl -n " + cluster.ns + " patch migrationjob shop"));
  REQUIRE(eventually([&] { return cluster.count_events("Warning/Failed") == 1; }));
  CHECK_THAT(cluster.event_message("Failed"),
             Catch::Contains("division by zero") && Catch::Contains("Fix: correct the migration"));
  CHECK(holds_for([&] { return cluster.paused() && cluster.job_names().size() == 1; }, 3s));
}

TEST_CASE("migration controller: a new generation waits for the running Job, then gets its own",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  const std::string first = cluster.created_with_job("shop", false, kHeld);
  REQUIRE(eventually([&] { return cluster.job_pod_running(first); }, kJobDeadline));
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Running"; }));
  REQUIRE(kube::update_with_retry(*cluster.direct, kMigrationJobs, cluster.ns, "shop", [](Json& object) {
            object["spec"]["target"] = Json::string(kHeldHead);
            return true;
          }).ok());
  REQUIRE(eventually([&] {
    return kube::integer_at(cluster.get(kMigrationJobs, "shop"), {"status", "observedGeneration"}) == 2;
  }));
  CHECK(cluster.condition("shop", "Reconciling") == "True");
  CHECK_THAT(cluster.status("shop", "message"), Catch::Contains("waiting for Job " + first));
  // The held migration keeps the first Job running: no second Job meanwhile.
  CHECK(holds_for([&] {
    return cluster.job_pod_running(first) && cluster.job_names() == std::vector<std::string>{first};
  }, 3s));

  cluster.release();
  const std::string second = cluster.current_job("shop");
  REQUIRE(eventually([&] { return cluster.job_names().size() == 2; }, kJobDeadline));
  auto args = cluster.get(kJobs, second)["spec"]["template"]["spec"]["containers"][0]["args"];
  CHECK_THAT(args.serialize(), Catch::Contains(std::string(R"("upgrade",")") + kHeldHead + "\""));
  REQUIRE(eventually([&] {
    return cluster.status("shop", "phase") == "Succeeded" && cluster.status("shop", "jobName") == second;
  }, kJobDeadline));
  CHECK(cluster.status("shop", "appliedRevision") == kHeldHead);
}

TEST_CASE("migration controller: an operator killed mid-run restarts without a second Job",
          "[integration][migration]") {
  Cluster cluster;
  auto first = cluster.start_operator();
  const std::string job = cluster.created_with_job("shop", true, kHeld);
  first->kill_hard();
  first->wait();

  // The Job runs on without the operator.
  REQUIRE(eventually([&] { return cluster.job_pod_running(job); }, kJobDeadline));
  auto second = cluster.start_operator();
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Expanding"; }));
  first = cluster.start_operator();  // and a third, racing the second
  cluster.release();
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Succeeded"; }, kJobDeadline));
  REQUIRE(eventually([&] { return !cluster.paused(); }));
  CHECK(cluster.job_names() == std::vector<std::string>{job});
  CHECK(cluster.count_events("Normal/Started") == 1);
  CHECK(cluster.count_events("Normal/Succeeded") == 1);
}

TEST_CASE("migration controller: converges through closed and expired watches, 409s and 500s",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  // Another writer keeps changing the object, so status writes meet 409s;
  // it stops however the test ends.
  struct Writer {
    std::atomic<bool> stop{false};
    std::thread thread;
    ~Writer() {
      stop = true;
      thread.join();
    }
  } writer;
  writer.thread = std::thread([&] {
    for (int i = 0; !writer.stop; ++i) {
      (void)kube::update_with_retry(*cluster.client, kMigrationJobs, cluster.ns, "shop", [i](Json& object) {
        object["metadata"]["annotations"]["touched"] = Json::string(std::to_string(i));
        return true;
      });
      std::this_thread::sleep_for(20ms);
    }
  });
  cluster.create_migration_job("shop", true, kHeld);
  const std::string job = cluster.current_job("shop");
  // Each round waits for the operator to be watching again, so every fault
  // meets watches it reopened.
  auto fault_rounds = [&](int rounds, bool with_500s) {
    for (int round = 0; round < rounds; ++round) {
      REQUIRE(eventually([&] { return cluster.open_watch_count() > 0; }));
      if (round % 2) {
        cluster.close_all_watches();
      } else {
        cluster.expire_watches();
      }
      if (with_500s) cluster.fail_next(3, 500);
    }
  };
  fault_rounds(5, true);
  REQUIRE(eventually([&] { return cluster.job_names().size() == 1 && cluster.paused(); },
                     kJobDeadline));
  cluster.release();
  fault_rounds(3, false);
  REQUIRE(eventually([&] {
    return cluster.status("shop", "phase") == "Succeeded" && !cluster.paused();
  }, kJobDeadline));
  CHECK(cluster.job_names() == std::vector<std::string>{job});
  CHECK(cluster.condition("shop", "Ready") == "True");
  CHECK(cluster.injected_count() > 0);
}

TEST_CASE("migration controller: deleting a MigrationJob releases the Deployment it holds",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  cluster.create_migration_job("shop", true, kHeld);
  REQUIRE(eventually([&] { return cluster.paused() && cluster.gate_annotation(); }));
  REQUIRE(cluster.direct->remove(kMigrationJobs, cluster.ns, "shop").ok());
  REQUIRE(eventually([&] { return cluster.get(kMigrationJobs, "shop").is_null(); }));
  CHECK_FALSE(cluster.paused());
  CHECK_FALSE(cluster.gate_annotation());
}

TEST_CASE("migration controller: a missing Secret stalls with its name and makes no Job",
          "[integration][migration]") {
  Cluster cluster;
  auto running = cluster.start_operator();
  Json object = testing::migration_job(cluster.ns, "shop", kRunner);
  object["spec"]["database"]["urlSecretRef"]["name"] = Json::string("absent");
  cluster.create(kMigrationJobs, object);
  REQUIRE(eventually([&] { return cluster.condition("shop", "Stalled") == "True"; }));
  CHECK(cluster.status("shop", "phase") == "Pending");
  CHECK_THAT(cluster.status("shop", "message"),
             Catch::Contains("Secret " + cluster.ns + "/absent") && Catch::Contains("create it"));
  REQUIRE(eventually([&] {
    return cluster.events() == std::vector<std::string>{"Warning/SecretNotFound"};
  }));
  CHECK(holds_for([&] { return cluster.job_names().empty(); }, 3s));
}

TEST_CASE("migration controller: a MigrationJob created before its Secret runs once the Secret "
          "is created, with no restart",
          "[integration][migration]") {
  Cluster cluster;
  // One operator process throughout: nothing here restarts it.
  auto running = cluster.start_operator();
  Json object = testing::migration_job(cluster.ns, "shop", kRunner);
  object["spec"]["database"]["urlSecretRef"]["name"] = Json::string("late");
  cluster.create(kMigrationJobs, object);
  REQUIRE(eventually([&] { return cluster.condition("shop", "Stalled", "reason") == "SecretNotFound"; }));
  CHECK(cluster.job_names().empty());

  // The operator polls no more (no recheck after a missing Secret): only the
  // Secret's event, through its cache, can bring the MigrationJob back.
  Json secret = Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
      "metadata": {"name": "late"}, "stringData": {}})");
  secret["stringData"]["url"] = Json::string(cluster.database.url());
  cluster.create(kSecrets, secret);
  REQUIRE(eventually([&] { return cluster.job_names().size() == 1; }, 20s));
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Succeeded"; }, kJobDeadline));
  CHECK(cluster.condition("shop", "Stalled") == "False");
  CHECK(cluster.status("shop", "appliedRevision") == kRunnerHead);
  CHECK(cluster.revisions() == kRunnerHead);
  CHECK(cluster.count_events("Warning/SecretNotFound") == 1);
}

TEST_CASE("migration controller: podTemplate and container shape the pod, and its arg reaches the runner",
          "[integration][migration]") {
  Cluster cluster;
  // The gated app pulls Never; the Job's pod must pull as it does.
  REQUIRE(kube::update_with_retry(*cluster.direct, kDeployments, cluster.ns, "shop-api", [](Json& app) {
            app["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = Json::string("Never");
            return true;
          }).ok());
  Json object = testing::migration_job(cluster.ns, "shop", kRunner);
  object["spec"]["rollout"] = Json::parse(R"({"targetRef": {"kind": "Deployment", "name": "shop-api"}})");
  object["spec"]["podTemplate"] = Json::parse(R"({"metadata": {
      "labels": {"team": "shop"}, "annotations": {"sidecar.istio.io/inject": "false"}}})");
  object["spec"]["container"] = Json::parse(R"({"args": ["--lock-mode", "table"],
      "env": [{"name": "SHOP_NOTE", "value": "from-spec"}]})");
  auto running = cluster.start_operator();
  cluster.create(kMigrationJobs, object);
  const std::string job = cluster.current_job("shop");
  REQUIRE(eventually([&] { return cluster.status("shop", "phase") == "Succeeded"; }, kJobDeadline));
  CHECK(cluster.revisions() == kRunnerHead);
  // Only a runner in --lock-mode table makes the lease table.
  CHECK(cluster.database.scalar(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'schemagate_version_lease'") == "1");

  kube::ListOptions pods_of_job;
  pods_of_job.label_selector = "job-name=" + job;
  auto pods = cluster.direct->list(kPods, cluster.ns, pods_of_job);
  REQUIRE(pods.ok());
  REQUIRE_FALSE(pods->items.empty());
  const Json& pod = pods->items.front();
  CHECK(kube::string_at(pod, {"metadata", "labels", "team"}) == "shop");
  CHECK(kube::string_at(pod, {"metadata", "labels", kManagedByLabel}) == kManagedByValue);
  CHECK(kube::string_at(pod, {"metadata", "annotations", "sidecar.istio.io/inject"}) == "false");
  const Json& container = pod.at("spec").at("containers").at(0);
  CHECK(kube::string_at(container, {"imagePullPolicy"}) == "Never");
  CHECK(kube::string_at(container.at("env").at(0), {"name"}) == "SHOP_NOTE");
  CHECK(kube::string_at(container.at("env").at(0), {"value"}) == "from-spec");
  CHECK_THAT(container.at("args").serialize(), Catch::EndsWith(R"("--lock-mode","table"])"));
  REQUIRE(eventually([&] { return !cluster.paused(); }));
}
