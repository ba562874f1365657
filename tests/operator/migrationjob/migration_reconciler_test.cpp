#include <catch2/catch.hpp>

#include <algorithm>

#include "kube/json_path.h"
#include "migrationjob/job_builder.h"
#include "migrationjob/migration_reconciler.h"
#include "migrationjob/resources.h"
#include "operator/migrationjob/fixtures.h"
#include "support/fake_object_client.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using testing::FakeObjectClient;
using Verb = FakeObjectClient::Verb;

namespace {

const std::string kKey = "shop/shop-migrate";
const std::string kJob = job_name("shop-migrate", "uid-1", 3);

// The Deployment as an earlier reconcile left it: paused, with the gate record.
Json held_deployment() {
  return testing::deployment(
      R"(, "annotations": {"schemagate.io/rollout-gate": )"
      R"("{\"owner\":\"shop/shop-migrate\",\"field\":\"spec.paused\",\"previous\":null}"})",
      R"(, "paused": true)");
}

// The API server in memory, the informers' caches over it, and the reconciler.
struct World {
  FakeObjectClient api;
  watch::Store migration_jobs;
  watch::Store jobs;
  watch::Store secrets;
  kube::EventQueue events{api};
  MigrationReconciler reconciler{api, migration_jobs, jobs, secrets, events};

  explicit World(const std::string& status = "null", bool with_secret = true) {
    REQUIRE(api.create(kMigrationJobs, "shop", testing::migration_job_object(status)));
    REQUIRE(api.create(kDeployments, "shop", testing::deployment()));
    if (with_secret) {
      REQUIRE(api.create(kSecrets, "shop", Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "shop-db"}, "data": {"url": "cG9zdGdyZXM6Ly8="}})")));
    }
    sync();
    api.clear_requests();
  }

  // The caches catch up with the server, as the informers' watches do.
  void sync() {
    migration_jobs.replace(api.objects(kMigrationJobs));
    jobs.replace(api.objects(kJobs));
    secrets.replace(testing::as_cached(kSecrets, api.objects(kSecrets)));
  }

  // A reconcile, and the Events it queued sent: what the server holds after both.
  Result<controller::ReconcileResult> reconcile() {
    auto result = reconciler.reconcile(kKey);
    events.flush();
    return result;
  }

  Json object() { return *api.get(kMigrationJobs, "shop", "shop-migrate"); }
  std::string status(const char* field) { return kube::string_at(object(), {"status", field}); }
  Json deployment() { return *api.get(kDeployments, "shop", "shop-api"); }
  void replace_deployment(Json deployment) {
    deployment["metadata"].erase("resourceVersion");  // an unconditional PUT
    REQUIRE(api.update(kDeployments, deployment));
  }

  std::vector<std::string> event_reasons() {
    std::vector<std::string> reasons;
    for (const Json& event : api.objects(kEvents)) {
      reasons.push_back(kube::string_at(event, {"reason"}));
    }
    std::sort(reasons.begin(), reasons.end());
    return reasons;
  }

  size_t count(Verb verb, const std::string& resource) {
    auto requests = api.requests();
    return std::count_if(requests.begin(), requests.end(), [&](const auto& request) {
      return request.verb == verb && request.resource == resource;
    });
  }
};

std::string condition_status(const Json& object, const std::string& type,
                             const char* field = "status") {
  for (const Json& condition : object.at("status").at("conditions").as_array()) {
    if (kube::string_at(condition, {"type"}) == type) return kube::string_at(condition, {field});
  }
  return "absent";
}


}  // namespace

TEST_CASE("a reconcile creates the Job, holds the workload and says so; once the cache has "
          "caught up, the next one writes nothing",
          "[migration][reconciler]") {
  World world;
  auto result = world.reconcile();
  REQUIRE(result);
  CHECK_FALSE(result->requeue_after);

  auto job = world.api.get(kJobs, "shop", kJob);
  REQUIRE(job);
  CHECK(job->at("metadata").at("ownerReferences").at(0).at("uid").as_string() == "uid-1");
  CHECK(kube::bool_at(world.deployment(), {"spec", "paused"}));
  CHECK(world.status("phase") == "Expanding");
  CHECK(world.status("jobName") == kJob);
  CHECK(world.status("rolloutTarget") == "Deployment/shop-api");
  CHECK(condition_status(world.object(), "Reconciling") == "True");
  CHECK(world.event_reasons() == std::vector<std::string>{"RolloutHeld", "Started"});

  world.sync();
  world.api.clear_requests();
  REQUIRE(world.reconcile());
  CHECK(world.api.writes().empty());
}

TEST_CASE("a Job the cache has not seen is adopted, never made twice", "[migration][reconciler]") {
  World world;
  Json existing = testing::job_with_status("{}");
  existing["metadata"]["name"] = Json::string(kJob);
  REQUIRE(world.api.create(kJobs, "shop", existing));
  world.api.clear_requests();
  // The Job cache stays behind: the reconciler tries to create it and is refused.
  REQUIRE(world.reconcile());
  CHECK(world.count(Verb::kCreate, "jobs") == 1);
  CHECK(world.api.objects(kJobs).size() == 1);
  CHECK(world.status("jobName") == kJob);
}

TEST_CASE("a status write over a stale cache reads the object again and writes once more",
          "[migration][reconciler]") {
  World world;
  // Someone changes the object after the cache saw it (a label: no new generation).
  REQUIRE(world.api.merge_patch(kMigrationJobs, "shop", "shop-migrate",
                                Json::parse(R"({"metadata": {"labels": {"team": "shop"}}})")));
  REQUIRE(world.reconcile());
  CHECK(world.count(Verb::kUpdateStatus, "migrationjobs") == 2);
  CHECK(world.status("phase") == "Expanding");
  CHECK(kube::string_at(world.object(), {"metadata", "labels", "team"}) == "shop");
}

TEST_CASE("the status goes as one write of the status subresource, nothing else written",
          "[migration][reconciler]") {
  // A status with a field this operator does not write (left by an older version).
  World world(R"({"observedGeneration": 2, "phase": "Succeeded", "legacy": "x"})");
  REQUIRE(world.reconcile());
  CHECK(world.count(Verb::kUpdateStatus, "migrationjobs") == 1);
  CHECK(world.count(Verb::kUpdate, "migrationjobs") == 0);
  CHECK(kube::integer_at(world.object(), {"status", "observedGeneration"}) == 3);
  CHECK(world.status("phase") == "Expanding");
  CHECK(world.status("jobName") == kJob);
  CHECK_FALSE(kube::find_path(world.object(), {"status", "legacy"}));
  // kstatus: Reconciling while the Job runs, neither Ready nor Stalled.
  CHECK(condition_status(world.object(), "Reconciling") == "True");
  CHECK(condition_status(world.object(), "Ready") == "False");
  CHECK(condition_status(world.object(), "Stalled") == "False");
  CHECK(world.object().at("spec") == testing::migration_job_object().at("spec"));
}

TEST_CASE("a finished Job's report becomes appliedRevision and the workload is released",
          "[migration][reconciler]") {
  World world(R"({"observedGeneration": 3, "phase": "Running", "jobName": ")" + kJob +
              R"(", "rolloutTarget": "Deployment/shop-api"})");
  world.replace_deployment(held_deployment());
  Json job = testing::job_with_status(R"({"succeeded": 1, "startTime": "2026-11-22T06:00:00Z",
      "completionTime": "2026-11-22T06:01:00Z",
      "conditions": [{"type": "Complete", "status": "True"}]})");
  job["metadata"]["name"] = Json::string(kJob);
  REQUIRE(world.api.create(kJobs, "shop", job));
  REQUIRE(world.api.create(kPods, "shop", Json::parse(R"({"apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "p1", "labels": {"job-name": ")" + kJob + R"("}},
    "status": {"containerStatuses": [{"name": "migrate", "state": {"terminated": {
      "finishedAt": "2026-11-22T06:01:00Z",
      "message": "{\"outcome\":\"succeeded\",\"revisions\":[\"a84e1c9b3d72\"]}"}}}]}})")));
  world.sync();

  REQUIRE(world.reconcile());
  CHECK(world.status("phase") == "Succeeded");
  CHECK(world.status("appliedRevision") == "a84e1c9b3d72");
  CHECK(condition_status(world.object(), "Ready") == "True");
  Json released = world.deployment();
  CHECK_FALSE(kube::find_path(released, {"spec", "paused"}));
  CHECK(kube::string_at(released, {"metadata", "annotations", kGateAnnotation}).empty());
  CHECK(world.event_reasons() == std::vector<std::string>{"RolloutReleased", "Succeeded"});
}

TEST_CASE("a missing Secret stalls the MigrationJob from the cache, and its arrival lets it proceed",
          "[migration][reconciler]") {
  World world("null", false);
  auto result = world.reconcile();
  REQUIRE(result);
  // No polling: the Secret's event re-queues the MigrationJob (SecretReferences).
  CHECK_FALSE(result->requeue_after);
  CHECK(world.count(Verb::kGet, "secrets") == 0);
  CHECK(world.api.objects(kJobs).empty());
  CHECK(condition_status(world.object(), "Stalled") == "True");
  CHECK(condition_status(world.object(), "Stalled", "reason") == "SecretNotFound");
  CHECK_THAT(world.status("message"), Catch::Contains("Secret shop/shop-db"));
  CHECK(world.event_reasons() == std::vector<std::string>{"RolloutHeld", "SecretNotFound"});

  REQUIRE(world.api.create(kSecrets, "shop", Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
    "metadata": {"name": "shop-db"}, "data": {"url": "cG9zdGdyZXM6Ly8="}})")));
  world.sync();
  world.api.clear_requests();
  REQUIRE(world.reconcile());
  CHECK(world.count(Verb::kGet, "secrets") == 0);
  CHECK(world.api.objects(kJobs).size() == 1);
  CHECK(world.status("jobName") == kJob);
  CHECK(condition_status(world.object(), "Stalled") == "False");
}

TEST_CASE("a Secret without the key named stalls with that reason", "[migration][reconciler]") {
  World world("null", false);
  REQUIRE(world.api.create(kSecrets, "shop", Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
    "metadata": {"name": "shop-db"}, "data": {"password": "c2VjcmV0"}})")));
  world.sync();
  REQUIRE(world.reconcile());
  CHECK(world.api.objects(kJobs).empty());
  CHECK(condition_status(world.object(), "Stalled", "reason") == "SecretKeyNotFound");
  CHECK_THAT(world.status("message"), Catch::Contains("has no key 'url'"));
}

TEST_CASE("a deleted MigrationJob releases its workload, then lets its finalizer go",
          "[migration][reconciler]") {
  World world(
      R"({"observedGeneration": 3, "phase": "Pending", "rolloutTarget": "Deployment/shop-api"})");
  world.replace_deployment(held_deployment());
  REQUIRE(world.api.remove(kMigrationJobs, "shop", "shop-migrate"));
  world.sync();
  REQUIRE(world.reconcile());
  CHECK_FALSE(kube::find_path(world.deployment(), {"spec", "paused"}));
  CHECK_FALSE(world.api.get(kMigrationJobs, "shop", "shop-migrate"));
}

TEST_CASE("a failed read is an error naming the MigrationJob, and nothing is written",
          "[migration][reconciler]") {
  World world;
  world.api.fail_next(Verb::kGet, "deployments", kube::ErrorKind::kServerError);
  auto result = world.reconcile();
  REQUIRE_FALSE(result);
  CHECK_THAT(result.error().message(), Catch::Contains("MigrationJob shop/shop-migrate"));
  CHECK(world.api.writes().empty());
}

TEST_CASE("a MigrationJob gone from the cache needs nothing", "[migration][reconciler]") {
  FakeObjectClient api;
  watch::Store migration_jobs;
  watch::Store jobs;
  watch::Store secrets;
  kube::EventQueue events(api);
  MigrationReconciler reconciler(api, migration_jobs, jobs, secrets, events);
  REQUIRE(reconciler.reconcile(kKey));
  CHECK(api.requests().empty());
}
