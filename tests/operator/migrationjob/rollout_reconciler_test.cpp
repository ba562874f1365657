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

// The reconciler's I/O between the two Jobs of a split (spec.phases auto),
// against the in-memory API server.

namespace {

const std::string kExpand = job_name("shop-migrate", "uid-1", 3);
const std::string kContract = job_name("shop-migrate", "uid-1", 3, JobPhase::kContract);

// shop-api, released, its controller done with generation 1: all updated.
Json rolled_out_app() {
  return Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "shop-api", "namespace": "shop", "generation": 1},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "shop"}},
             "template": {"metadata": {"labels": {"app": "shop"}},
                          "spec": {"containers": [{"name": "api", "image": "shop-api:2"}]}}},
    "status": {"observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2}})");
}

Json app_pod(const std::string& name, const std::string& hash) {
  Json pod = Json::parse(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"app": "shop"},
    "ownerReferences": [{"kind": "ReplicaSet", "name": "rs", "uid": "rs-1", "controller": true}]}})");
  pod["metadata"]["name"] = Json::string(name);
  pod["metadata"]["labels"]["pod-template-hash"] = Json::string(hash);
  return pod;
}

struct World {
  FakeObjectClient api;
  watch::Store migration_jobs;
  watch::Store jobs;
  watch::Store secrets;
  kube::EventQueue events{api};
  MigrationReconciler reconciler{api, migration_jobs, jobs, secrets, events};

  World() {
    // As the expand Job left it: c3,d4 pending, shop-api released at its template.
    std::string status = R"({"observedGeneration": 3, "phase": "RollingOut", "jobName": ")" +
                         kExpand + R"(", "expandJobName": ")" + kExpand +
                         R"(", "contractRevisions": "c3,d4", "rolloutTemplateHash": ")" +
                         read_workload(rolled_out_app()).template_hash +
                         R"(", "rolloutTarget": "Deployment/shop-api"})";
    REQUIRE(api.create(kMigrationJobs, "shop", testing::migration_job_object(status)));
    REQUIRE(api.create(kDeployments, "shop", rolled_out_app()));
    REQUIRE(api.create(kSecrets, "shop", Json::parse(R"({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "shop-db"}, "data": {"url": "cG9zdGdyZXM6Ly8="}})")));
    Json expand = testing::job_with_status(R"({"succeeded": 1,
        "conditions": [{"type": "Complete", "status": "True"}]})");
    expand["metadata"]["name"] = Json::string(kExpand);
    REQUIRE(api.create(kJobs, "shop", expand));
    REQUIRE(api.create(kPods, "shop", app_pod("new-1", "b")));
    REQUIRE(api.create(kPods, "shop", app_pod("new-2", "b")));
    // An old pod in its grace period: deleted, kept by a finalizer standing in
    // for the kubelet, which has not reported its containers gone yet.
    Json old = app_pod("old-1", "a");
    old["metadata"]["finalizers"] = Json::array({Json::string("test/grace-period")});
    REQUIRE(api.create(kPods, "shop", old));
    REQUIRE(api.remove(kPods, "shop", "old-1"));
    migration_jobs.replace(api.objects(kMigrationJobs));
    jobs.replace(api.objects(kJobs));
    secrets.replace(testing::as_cached(kSecrets, api.objects(kSecrets)));
    api.clear_requests();
  }

  std::string status(const char* field) {
    return kube::string_at(*api.get(kMigrationJobs, "shop", "shop-migrate"), {"status", field});
  }
  size_t count(Verb verb, const std::string& resource) {
    auto requests = api.requests();
    return std::count_if(requests.begin(), requests.end(), [&](const auto& request) {
      return request.verb == verb && request.resource == resource;
    });
  }
};

}  // namespace

TEST_CASE("between the two Jobs, the rollout's pods are read until the last old one is gone, "
          "then the contract Job is made",
          "[migration][reconciler][phases]") {
  World world;
  auto waiting = world.reconciler.reconcile("shop/shop-migrate");
  REQUIRE(waiting);
  CHECK(waiting->requeue_after == kRolloutRecheck);
  // One list of pods, the rollout's: the expand Job's report is in status already.
  CHECK(world.count(Verb::kList, "pods") == 1);
  CHECK(world.api.objects(kJobs).size() == 1);
  CHECK(world.status("phase") == "RollingOut");
  CHECK_THAT(world.status("message"), Catch::Contains("1 old pod not gone yet"));
  CHECK_FALSE(kube::bool_at(*world.api.get(kDeployments, "shop", "shop-api"), {"spec", "paused"}));

  Json old = *world.api.get(kPods, "shop", "old-1");
  old["metadata"].erase("finalizers");
  REQUIRE(world.api.update(kPods, old));
  REQUIRE_FALSE(world.api.get(kPods, "shop", "old-1"));
  world.migration_jobs.replace(world.api.objects(kMigrationJobs));
  auto contracting = world.reconciler.reconcile("shop/shop-migrate");
  REQUIRE(contracting);
  auto contract = world.api.get(kJobs, "shop", kContract);
  REQUIRE(contract);
  CHECK(kube::string_at(*contract, {"metadata", "annotations", kPhaseAnnotation}) == "contract");
  CHECK(world.status("phase") == "Contracting");
  CHECK(world.status("contractJobName") == kContract);
  CHECK(world.status("expandJobName") == kExpand);
}
