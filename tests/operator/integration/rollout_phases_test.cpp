#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "kube/json_path.h"
#include "kube/update_with_retry.h"
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

// tests/kube/images.sh: the runner with an expand revision adding
// e2e_customers.full_name and a contract revision dropping old_name, and the
// app that reads a column in a loop, recording every outcome in e2e_probes.
constexpr const char* kSplitImage = "registry.example/shop-migrations:split";
constexpr const char* kExpandHead = "5a1e0e2a0d01";
constexpr const char* kContractHead = "5a1e0c0a0d02";
// Jobs run for real, and a rollout starts pods that run psql every 200 ms
// on two shared cores.
constexpr auto kDeadline = 240s;

/// One app version's pod template: the image tag, and the column it reads.
/// Its readiness is that read: it fails at once on a missing column, and
/// waits out a slow machine, where one timeout would make a Deployment's
/// ready pod count dip and rise, which its controller takes for progress.
Json app_template(const std::string& version, const std::string& column, const std::string& url) {
  Json container = Json::parse(R"({"name": "app", "readinessProbe": {"exec": {"command": ["/bin/ready"]},
      "periodSeconds": 1, "timeoutSeconds": 30, "failureThreshold": 1}})");
  container["image"] = Json::string("registry.example/shop-app:" + version);
  container["env"] = Json::array({Json::parse(R"({"name": "DATABASE_URL"})"),
                                  Json::parse(R"({"name": "APP_COLUMN"})"),
                                  Json::parse(R"({"name": "APP_VERSION"})")});
  container["env"][0]["value"] = Json::string(url);
  container["env"][1]["value"] = Json::string(column);
  container["env"][2]["value"] = Json::string(version);
  Json pod = Json::parse(R"({"metadata": {"labels": {"app": "shop-app"}},
      "spec": {"terminationGracePeriodSeconds": 3}})");
  pod["spec"]["containers"] = Json::array({container});
  return pod;
}

/// The kinds of workload a MigrationJob holds and releases.
enum class Kind { kDeployment, kStatefulSet };

const char* kind_name(Kind kind) {
  return kind == Kind::kStatefulSet ? "StatefulSet" : "Deployment";
}

/// Two replicas of app version 1, rolled out one pod at a time: a Deployment
/// starts a new pod before it stops an old one; a StatefulSet with the
/// RollingUpdate `update_strategy` replaces its pods from the highest ordinal
/// down, each once the one before is ready (with OnDelete, only those deleted).
Json app_workload(Kind kind, const std::string& update_strategy, const std::string& url) {
  Json app = Json::parse(R"({"apiVersion": "apps/v1", "metadata": {"name": "shop-app"},
      "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "shop-app"}}}})");
  app["kind"] = Json::string(kind_name(kind));
  if (kind == Kind::kStatefulSet) {
    app["spec"]["serviceName"] = Json::string("shop-app");
    app["spec"]["podManagementPolicy"] = Json::string("OrderedReady");
    app["spec"]["updateStrategy"]["type"] = Json::string(update_strategy);
  } else {
    app["spec"]["strategy"] =
        Json::parse(R"({"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}})");
  }
  app["spec"]["template"] = app_template("1", "old_name", url);
  return app;
}

/// `field` of the MigrationJob's condition `type`; "" when it has none.
std::string condition_of(const Json& object, const std::string& type,
                         const char* field = "status") {
  const Json* conditions = kube::find_path(object, {"status", "conditions"});
  if (!conditions || !conditions->is_array()) return "";
  for (const Json& item : conditions->as_array()) {
    if (kube::string_at(item, {"type"}) == type) return kube::string_at(item, {field});
  }
  return "";
}

/// A phase and the three kstatus conditions, as one line: "RollingOut R=False r=True S=False".
struct Step {
  std::string phase, ready, reconciling, stalled;
  bool operator==(const Step& other) const {
    return phase == other.phase && ready == other.ready && reconciling == other.reconciling &&
           stalled == other.stalled;
  }
};

// The operator, the probing app at version 1 as a workload of `kind`, and a
// database where old_name is what version 1 reads.
class Rollout : public testing::ControlPlaneFixture {
 public:
  /// `update_strategy`: a StatefulSet's spec.updateStrategy.type.
  explicit Rollout(Kind workload_kind = Kind::kDeployment,
                   const std::string& update_strategy = "RollingUpdate")
      : kind(workload_kind),
        workloads(workload_kind == Kind::kStatefulSet ? kStatefulSets : kDeployments) {
    database.scalar("CREATE TABLE public.e2e_customers (id int, old_name text)");
    database.scalar("INSERT INTO public.e2e_customers VALUES (1, 'Ada Lovelace')");
    database.scalar("CREATE TABLE public.e2e_marks (what text, at timestamptz)");
    database.scalar("CREATE TABLE public.e2e_probes (version text, pod text, ok boolean, at timestamptz)");
    Json secret = Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "db"}, "stringData": {}})");
    secret["stringData"]["url"] = Json::string(database.url());
    create(kSecrets, secret);
    create(workloads, app_workload(kind, update_strategy, database.url()));
    REQUIRE(eventually([&] { return rolled_out(); }, kDeadline));
    operator_ = std::make_unique<testing::Process>(std::vector<std::string>{
        SCHEMAGATE_OPERATOR_BINARY, "--kubeconfig", kubeconfig.string(), "--namespace", ns,
        "--metrics-bind-address", "0", "--health-probe-bind-address", "0"});
  }

  ~Rollout() {
    watching_ = false;
    if (watcher_.joinable()) watcher_.join();
  }

  Json create(const kube::ResourceRef& ref, Json object) {
    object["metadata"]["namespace"] = Json::string(ns);
    auto created = direct->create(ref, ns, object);
    INFO((created ? std::string() : created.error().message()));
    REQUIRE(created.ok());
    return *created;
  }

  /// migrate(), and the new version applied once the gate holds shop-app
  /// (as a deploy pipeline applying both would find it). A Deployment's
  /// rollout fails after `progress_deadline_seconds`; a StatefulSet's has no
  /// deadline.
  void migrate_and_roll_out(const std::string& version, const std::string& column,
                            int progress_deadline_seconds = 600) {
    migrate();
    REQUIRE(eventually([&] { return held(); }, kDeadline));
    apply_version(version, column, progress_deadline_seconds);
  }

  /// The MigrationJob "shop" of the split image, gating shop-app. Records
  /// every step status goes through.
  void migrate() {
    Json object = testing::migration_job(ns, "shop", kSplitImage);
    object["spec"]["rollout"] = Json::parse(R"({"targetRef": {"name": "shop-app"}})");
    object["spec"]["rollout"]["targetRef"]["kind"] = Json::string(kind_name(kind));
    object["spec"]["backoffLimit"] = Json::number(int64_t{0});
    create(kMigrationJobs, object);
    watcher_ = std::thread([this] {
      while (watching_) {
        record_step();
        std::this_thread::sleep_for(50ms);
      }
    });
  }

  /// Replaces the app's pod template with `version`'s, reading `column`.
  void apply_version(const std::string& version, const std::string& column,
                     int progress_deadline_seconds = 600) {
    REQUIRE(kube::update_with_retry(*direct, workloads, ns, "shop-app", [&](Json& app) {
              app["spec"]["template"] = app_template(version, column, database.url());
              if (kind == Kind::kDeployment) {
                app["spec"]["progressDeadlineSeconds"] = Json::number(int64_t{progress_deadline_seconds});
              }
              return true;
            }).ok());
  }

  Json get(const kube::ResourceRef& ref, const std::string& name) {
    auto found = direct->get(ref, ns, name);
    return found ? *found : Json::null();
  }
  std::string status(const char* field) {
    return kube::string_at(get(kMigrationJobs, "shop"), {"status", field});
  }
  std::string condition(const std::string& type, const char* field = "status") {
    return condition_of(get(kMigrationJobs, "shop"), type, field);
  }
  /// A Deployment paused, or a StatefulSet's partition above every ordinal.
  bool held() {
    Json app = get(workloads, "shop-app");
    if (kind == Kind::kDeployment) return kube::bool_at(app, {"spec", "paused"});
    return kube::integer_at(app, {"spec", "updateStrategy", "rollingUpdate", "partition"})
               .value_or(0) >= 2;
  }
  /// The workload controller's own verdict: every replica updated and
  /// available (a Deployment) or ready on the revision now current (a StatefulSet).
  bool rolled_out() {
    Json app = get(workloads, "shop-app");
    auto at = [&](std::initializer_list<const char*> path) {
      return kube::integer_at(app, path).value_or(-1);
    };
    bool counts = at({"status", "observedGeneration"}) == at({"metadata", "generation"}) &&
                  at({"status", "updatedReplicas"}) == 2 && at({"status", "replicas"}) == 2;
    if (kind == Kind::kDeployment) return counts && at({"status", "availableReplicas"}) == 2;
    std::string current = kube::string_at(app, {"status", "currentRevision"});
    return counts && at({"status", "readyReplicas"}) == 2 && !current.empty() &&
           current == kube::string_at(app, {"status", "updateRevision"});
  }
  /// The images of shop-app's pods, terminating ones included.
  std::vector<std::string> pod_images() {
    std::vector<std::string> images;
    kube::ListOptions options;
    options.label_selector = "app=shop-app";
    if (auto listed = direct->list(kPods, ns, options)) {
      for (const Json& pod : listed->items) {
        images.push_back(kube::string_at(pod.at("spec").at("containers").at(0), {"image"}));
      }
    }
    std::sort(images.begin(), images.end());
    return images;
  }
  std::vector<std::string> jobs() {
    std::vector<std::string> names;
    if (auto listed = direct->list(kJobs, ns)) {
      for (const Json& job : listed->items) names.push_back(kube::name_of(job));
    }
    return names;
  }
  /// Type/reason of the operator's Events about the MigrationJob, sorted.
  std::vector<std::string> events() {
    std::vector<std::string> reasons;
    if (auto listed = direct->list(kEvents, ns)) {
      for (const Json& event : listed->items) {
        if (kube::string_at(event, {"involvedObject", "kind"}) != "MigrationJob") continue;
        reasons.push_back(kube::string_at(event, {"type"}) + "/" + kube::string_at(event, {"reason"}));
      }
    }
    std::sort(reasons.begin(), reasons.end());
    return reasons;
  }
  std::string event_message(const std::string& reason) {
    if (auto listed = direct->list(kEvents, ns)) {
      for (const Json& event : listed->items) {
        if (kube::string_at(event, {"reason"}) == reason) return kube::string_at(event, {"message"});
      }
    }
    return "";
  }
  bool has_column(const std::string& column) {
    return database.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                           "'e2e_customers' AND column_name = '" + column + "'") == "1";
  }
  /// How many probes of app `version` had outcome `ok`.
  int probes(const std::string& version, bool ok) {
    return std::stoi(database.scalar("SELECT count(*) FROM public.e2e_probes WHERE version = '" +
                                      version + "' AND ok = " + (ok ? "true" : "false")));
  }
  std::vector<Step> steps() {
    std::lock_guard<std::mutex> lock(mutex_);
    return steps_;
  }

  const Kind kind;
  const kube::ResourceRef workloads;  ///< where `kind` lives in the API
  testing::TestDatabase database;

 private:
  // From one read: a status written between reads would mix two steps.
  void record_step() {
    Json object = get(kMigrationJobs, "shop");
    Step step{kube::string_at(object, {"status", "phase"}), condition_of(object, "Ready"),
              condition_of(object, "Reconciling"), condition_of(object, "Stalled")};
    if (step.phase.empty()) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (steps_.empty() || !(steps_.back() == step)) steps_.push_back(step);
  }

  std::unique_ptr<testing::Process> operator_;
  std::atomic<bool> watching_{true};
  std::thread watcher_;
  std::mutex mutex_;
  std::vector<Step> steps_;
};

std::string describe(const std::vector<Step>& steps) {
  std::string text;
  for (const Step& step : steps) {
    text += step.phase + " Ready=" + step.ready + " Reconciling=" + step.reconciling +
            " Stalled=" + step.stalled + "\n";
  }
  return text;
}

/// Rolls version 2 out behind the split migration and checks what every kind
/// of workload promises: expand, release, a complete rollout, then the
/// contract after the last old pod's last read, no read failing on the way.
void expand_roll_out_contract(Rollout& cluster) {
  REQUIRE(eventually([&] { return cluster.probes("1", true) > 0; }, kDeadline));
  cluster.migrate_and_roll_out("2", "full_name");

  REQUIRE(eventually([&] { return cluster.status("phase") == "Succeeded"; }, kDeadline));
  CHECK(cluster.condition("Ready") == "True");
  CHECK(cluster.status("appliedRevision") == kContractHead);
  CHECK_FALSE(cluster.has_column("old_name"));
  CHECK(cluster.pod_images() == std::vector<std::string>{"registry.example/shop-app:2",
                                                         "registry.example/shop-app:2"});
  // Two Jobs, both named in status: expand before the rollout, contract after.
  const std::string expand = cluster.status("expandJobName");
  const std::string contract = cluster.status("contractJobName");
  CHECK_FALSE(expand.empty());
  CHECK_FALSE(contract.empty());
  CHECK(cluster.jobs().size() == 2);
  CHECK(cluster.status("jobName") == contract);

  // The old pods read old_name until they were gone, and not one read failed:
  // the drop came after the last of them, whose last read it follows.
  CHECK(cluster.probes("1", false) == 0);
  CHECK(cluster.probes("1", true) > 0);
  CHECK(cluster.probes("2", false) == 0);
  CHECK(cluster.database.scalar(
            "SELECT (SELECT at FROM public.e2e_marks WHERE what = 'contracted') > "
            "(SELECT max(at) FROM public.e2e_probes WHERE version = '1')") == "t");
  // The new pods keep reading full_name after the drop.
  REQUIRE(eventually([&] {
    return cluster.database.scalar(
               "SELECT count(*) FROM public.e2e_probes WHERE version = '2' AND ok AND at > "
               "(SELECT at FROM public.e2e_marks WHERE what = 'contracted')") != "0";
  }));

  // Every phase in order, with kstatus conditions true to it at each step.
  std::vector<Step> seen = cluster.steps();
  INFO(describe(seen));
  std::vector<std::string> phases;
  for (const Step& step : seen) {
    if (phases.empty() || phases.back() != step.phase) phases.push_back(step.phase);
    bool done = step.phase == "Succeeded";
    CHECK(step.ready == (done ? "True" : "False"));
    CHECK(step.reconciling == (done ? "False" : "True"));
    CHECK(step.stalled == "False");
  }
  // Pending and the Job phases can pass between two looks; rolling out cannot.
  CHECK(std::find(phases.begin(), phases.end(), "RollingOut") != phases.end());
  std::vector<std::string> order{"Pending", "Expanding", "RollingOut", "Contracting", "Succeeded"};
  auto next = order.begin();
  for (const std::string& phase : phases) {
    next = std::find(next, order.end(), phase);
    CHECK(next != order.end());
  }
  REQUIRE(eventually([&] {
    auto reasons = cluster.events();
    return reasons == std::vector<std::string>{"Normal/Contracting", "Normal/Expanded",
                                               "Normal/RolloutComplete", "Normal/RolloutHeld",
                                               "Normal/RolloutReleased", "Normal/Started",
                                               "Normal/Succeeded"};
  }));
  CHECK_THAT(cluster.event_message("RolloutComplete"),
             Catch::Contains(std::string(kind_name(cluster.kind)) + "/shop-app") &&
                 Catch::Contains("all 2 pods updated"));
}

/// Starts version 2, whose pods never become ready, and rolls the app back
/// to version 1 (as `kubectl rollout undo` does) once a version 2 pod runs,
/// before any deadline: the MigrationJob stalls, nothing contracts, and
/// version 1 is back everywhere on the expanded schema.
void roll_back_before_complete(Rollout& cluster) {
  cluster.migrate_and_roll_out("2", "no_such_column");
  REQUIRE(eventually([&] {
    return cluster.status("phase") == "RollingOut" && cluster.probes("2", false) > 0;
  }, kDeadline));
  cluster.apply_version("1", "old_name");
  if (cluster.kind == Kind::kStatefulSet) {
    // A StatefulSet waits for its pod that never becomes ready before it
    // replaces it, forever: a forced rollback deletes that pod once the
    // controller has version 1 back as its update revision.
    REQUIRE(eventually([&] {
      Json app = cluster.get(cluster.workloads, "shop-app");
      std::string update = kube::string_at(app, {"status", "updateRevision"});
      return kube::integer_at(app, {"status", "observedGeneration"}) ==
                 kube::integer_at(app, {"metadata", "generation"}) &&
             !update.empty() && update == kube::string_at(app, {"status", "currentRevision"});
    }, kDeadline));
    REQUIRE(cluster.direct->remove(kPods, cluster.ns, "shop-app-1").ok());
  }

  REQUIRE(eventually([&] { return cluster.condition("Stalled") == "True"; }, kDeadline));
  CHECK(cluster.condition("Stalled", "reason") == "RolloutChanged");
  CHECK(cluster.condition("Reconciling") == "False");
  CHECK_THAT(cluster.status("message"), Catch::Contains("rolled back or replaced"));
  REQUIRE(eventually([&] {
    auto reasons = cluster.events();
    return std::count(reasons.begin(), reasons.end(), "Warning/RolloutChanged") == 1;
  }));
  // Version 1 is back everywhere, on the expanded schema, and nothing contracts.
  REQUIRE(eventually([&] { return cluster.rolled_out(); }, kDeadline));
  CHECK(holds_for([&] {
    return cluster.jobs().size() == 1 && cluster.has_column("old_name") &&
           cluster.condition("Stalled") == "True";
  }, 5s));
  CHECK(eventually([&] {
    return cluster.pod_images() == std::vector<std::string>{"registry.example/shop-app:1",
                                                            "registry.example/shop-app:1"};
  }));
  CHECK(cluster.database.scalar("SELECT count(*) FROM public.e2e_marks") == "0");
  CHECK(cluster.probes("1", false) == 0);
}

}  // namespace

TEST_CASE("rollout phases: expand, release the rollout, contract once the last old pod is gone",
          "[integration][migration][rollout]") {
  Rollout cluster;
  expand_roll_out_contract(cluster);
}

TEST_CASE("rollout phases: a StatefulSet's ordered rolling update completes before the contract",
          "[integration][migration][rollout]") {
  Rollout cluster(Kind::kStatefulSet);
  expand_roll_out_contract(cluster);
  // The StatefulSet controller's own verdict: the update revision is current,
  // every replica on it and ready.
  CHECK(cluster.rolled_out());
  // One pod at a time, highest ordinal first: shop-app-1 ran version 2 while
  // shop-app-0 still ran version 1, and shop-app-0 ran version 2 only after.
  auto read = [](const char* first_or_last, const char* version, const char* pod) {
    return std::string("(SELECT ") + first_or_last + "(at) FROM public.e2e_probes WHERE version = '" +
           version + "' AND pod = '" + pod + "')";
  };
  CHECK(cluster.database.scalar("SELECT " + read("min", "2", "shop-app-1") + " < " +
                                read("max", "1", "shop-app-0")) == "t");
  CHECK(cluster.database.scalar("SELECT " + read("min", "2", "shop-app-1") + " < " +
                                read("min", "2", "shop-app-0")) == "t");
}

TEST_CASE("rollout phases: a rollout past its progress deadline stalls and never contracts",
          "[integration][migration][rollout]") {
  Rollout cluster;
  // Version 2 reads a column no revision adds: its pods never become ready.
  cluster.migrate_and_roll_out("2", "no_such_column", 10);

  REQUIRE(eventually([&] { return cluster.condition("Stalled") == "True"; }, kDeadline));
  CHECK(cluster.condition("Ready") == "False");
  CHECK(cluster.condition("Reconciling") == "False");
  CHECK(cluster.condition("Stalled", "reason") == "RolloutFailed");
  CHECK(cluster.status("phase") == "RollingOut");
  CHECK_THAT(cluster.status("message"),
             Catch::Contains("ProgressDeadlineExceeded") && Catch::Contains(kContractHead));
  REQUIRE(eventually([&] {
    auto reasons = cluster.events();
    return std::count(reasons.begin(), reasons.end(), "Warning/RolloutFailed") == 1;
  }));
  CHECK_THAT(cluster.event_message("RolloutFailed"), Catch::Contains("shop-app"));

  // The expand stays; the contract never runs, and the old pods keep working.
  CHECK(cluster.status("appliedRevision") == kExpandHead);
  CHECK(holds_for([&] {
    return cluster.jobs().size() == 1 && cluster.has_column("old_name") &&
           cluster.condition("Stalled") == "True";
  }, 5s));
  CHECK(cluster.status("contractJobName").empty());
  CHECK(cluster.database.scalar("SELECT count(*) FROM public.e2e_marks") == "0");
  CHECK(cluster.probes("1", false) == 0);
  CHECK(cluster.probes("1", true) > 0);
}

TEST_CASE("rollout phases: a rollout rolled back before it completes stalls and never contracts",
          "[integration][migration][rollout]") {
  Rollout cluster;
  roll_back_before_complete(cluster);
}

TEST_CASE("rollout phases: a StatefulSet rolled back before it completes stalls and never contracts",
          "[integration][migration][rollout]") {
  Rollout cluster(Kind::kStatefulSet);
  roll_back_before_complete(cluster);
}

TEST_CASE("rollout phases: a StatefulSet whose new pod never becomes ready never contracts",
          "[integration][migration][rollout]") {
  Rollout cluster(Kind::kStatefulSet);
  // Version 2 reads a column no revision adds: the controller replaces
  // shop-app-1, whose new pod never becomes ready, and waits for it forever.
  cluster.migrate_and_roll_out("2", "no_such_column");
  REQUIRE(eventually([&] { return cluster.probes("2", false) > 0; }, kDeadline));
  REQUIRE(eventually([&] {
    return cluster.status("phase") == "RollingOut" &&
           cluster.status("message").find("1 of 2 pods updated") != std::string::npos;
  }, kDeadline));
  CHECK(cluster.status("appliedRevision") == kExpandHead);
  CHECK_THAT(cluster.status("message"), Catch::Contains(kContractHead));

  // A StatefulSet has no progress deadline: the rollout stays in progress,
  // the contract never runs, and shop-app-0 keeps reading old_name.
  const int old_reads = cluster.probes("1", true);
  CHECK(holds_for([&] {
    return cluster.status("phase") == "RollingOut" && cluster.condition("Reconciling") == "True" &&
           cluster.condition("Stalled") == "False" && cluster.jobs().size() == 1 &&
           cluster.has_column("old_name");
  }, 5s));
  CHECK(cluster.probes("1", true) > old_reads);
  CHECK(cluster.probes("1", false) == 0);
  CHECK(cluster.pod_images() == std::vector<std::string>{"registry.example/shop-app:1",
                                                         "registry.example/shop-app:2"});
  CHECK(cluster.status("contractJobName").empty());
  CHECK(cluster.database.scalar("SELECT count(*) FROM public.e2e_marks") == "0");
  std::vector<std::string> reasons = cluster.events();
  CHECK(std::count(reasons.begin(), reasons.end(), "Normal/RolloutReleased") == 1);
  CHECK(std::count(reasons.begin(), reasons.end(), "Normal/RolloutComplete") == 0);
  for (const Step& step : cluster.steps()) CHECK(step.stalled == "False");
}

TEST_CASE("rollout phases: an OnDelete StatefulSet contracts once its last old pod is replaced",
          "[integration][migration][rollout]") {
  Rollout cluster(Kind::kStatefulSet, "OnDelete");
  REQUIRE(eventually([&] { return cluster.probes("1", true) > 0; }, kDeadline));
  // Nothing holds an OnDelete StatefulSet: version 2 goes in with the
  // MigrationJob, and a pod runs it only once deleted.
  cluster.apply_version("2", "full_name");
  cluster.migrate();
  REQUIRE(eventually([&] {
    return cluster.status("phase") == "RollingOut" &&
           cluster.status("message").find("0 of 2 pods updated") != std::string::npos;
  }, kDeadline));
  auto reads_ok = [&](const char* pod) {
    return cluster.database.scalar("SELECT count(*) FROM public.e2e_probes WHERE version = '2' "
                                   "AND ok AND pod = '" + std::string(pod) + "'") != "0";
  };
  REQUIRE(cluster.direct->remove(kPods, cluster.ns, "shop-app-1").ok());
  REQUIRE(eventually([&] { return reads_ok("shop-app-1"); }, kDeadline));
  REQUIRE(eventually([&] {
    return cluster.status("message").find("1 of 2 pods updated") != std::string::npos;
  }, kDeadline));
  CHECK(cluster.status("phase") == "RollingOut");
  CHECK(cluster.has_column("old_name"));

  REQUIRE(cluster.direct->remove(kPods, cluster.ns, "shop-app-0").ok());
  REQUIRE(eventually([&] { return cluster.status("phase") == "Succeeded"; }, kDeadline));
  CHECK_FALSE(cluster.has_column("old_name"));
  CHECK(cluster.probes("1", false) == 0);
  CHECK(cluster.probes("2", false) == 0);
  CHECK(cluster.database.scalar(
            "SELECT (SELECT at FROM public.e2e_marks WHERE what = 'contracted') > "
            "(SELECT max(at) FROM public.e2e_probes WHERE version = '1')") == "t");
  CHECK(cluster.pod_images() == std::vector<std::string>{"registry.example/shop-app:2",
                                                         "registry.example/shop-app:2"});
}
