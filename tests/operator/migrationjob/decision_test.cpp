#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "migrationjob/decision.h"
#include "migrationjob/job_builder.h"
#include "operator/migrationjob/fixtures.h"

using namespace schemagate;
using namespace schemagate::migrationjob;

namespace {

const std::string kJob = job_name("shop-migrate", "uid-1", 3);

Observed observed(const std::string& status = "null") {
  Observed result;
  result.object = read_migration_job(testing::migration_job_object(status));
  result.target = read_workload(testing::deployment());
  return result;
}

JobView job(const std::string& status) {
  Json result = testing::job_with_status(status);
  result["metadata"]["name"] = Json::string(kJob);
  return read_job(result);
}

std::vector<std::string> reasons(const Decision& decision) {
  std::vector<std::string> result;
  for (const EventSpec& event : decision.events) result.push_back(event.type + "/" + event.reason);
  return result;
}

bool holds(const Decision& decision) {
  return decision.target_patches.size() == 1 &&
         kube::bool_at(decision.target_patches[0].patch, {"spec", "paused"});
}

Json held_deployment() {
  return testing::deployment(
      R"(, "annotations": {"schemagate.io/rollout-gate": "{\"owner\":\"shop/shop-migrate\",\"field\":\"spec.paused\",\"previous\":null}"})",
      R"(, "paused": true)");
}

std::string status_of(const std::string& phase, const std::string& reason,
                      const std::string& job = kJob) {
  return R"({"observedGeneration": 3, "phase": ")" + phase + R"(", "jobName": ")" + job +
         R"(", "message": "recorded", "conditions": [{"type": "Ready", "status": "False", "reason": ")" +
         reason + R"("}]})";
}

}  // namespace

TEST_CASE("a new generation with its Secret gets a Job, and its target is held", "[migration][decide]") {
  Observed world = observed();
  world.secret = Observed::Secret::kPresent;
  Decision decision = decide(world);
  REQUIRE(decision.create_job);
  CHECK(kube::name_of(*decision.create_job) == kJob);
  CHECK(holds(decision));
  REQUIRE(decision.status);
  CHECK(decision.status->phase == Phase::kExpanding);
  CHECK(decision.status->verdict == Verdict::kProgressing);
  CHECK(decision.status->job_name == kJob);
  CHECK(decision.status->rollout_target == "Deployment/shop-api");
  CHECK(reasons(decision) == std::vector<std::string>{"Normal/RolloutHeld", "Normal/Started"});
  CHECK_FALSE(decision.add_finalizer);  // the fixture has it
}

TEST_CASE("the finalizer is added before a workload is held", "[migration][decide]") {
  Observed world = observed();
  world.object.has_finalizer = false;
  world.secret = Observed::Secret::kPresent;
  CHECK(decide(world).add_finalizer);
  Json no_gate = testing::migration_job_object();
  no_gate["spec"].erase("rollout");
  no_gate["metadata"].erase("finalizers");
  world.object = read_migration_job(no_gate);
  world.target.reset();
  Decision decision = decide(world);
  CHECK_FALSE(decision.add_finalizer);
  CHECK(decision.target_patches.empty());
}

TEST_CASE("a missing Secret or key stalls with an actionable reason, and no Job",
          "[migration][decide]") {
  Observed world = observed();
  world.secret = Observed::Secret::kMissing;
  Decision missing = decide(world);
  CHECK_FALSE(missing.create_job);
  CHECK(missing.status->verdict == Verdict::kStalled);
  CHECK(missing.status->reason == "SecretNotFound");
  CHECK_THAT(missing.status->message, Catch::Contains("Secret shop/shop-db") &&
                                          Catch::Contains("create it"));
  CHECK_FALSE(missing.requeue_after);  // the Secret's event brings it back
  CHECK(holds(missing));  // not migrated: the workload must not roll out
  CHECK(reasons(missing) ==
        std::vector<std::string>{"Normal/RolloutHeld", "Warning/SecretNotFound"});

  world.secret = Observed::Secret::kMissingKey;
  world.object = read_migration_job(testing::migration_job_object(status_of("Pending", "SecretNotFound", "")));
  Decision no_key = decide(world);
  CHECK(no_key.status->reason == "SecretKeyNotFound");
  CHECK_THAT(no_key.status->message, Catch::Contains("has no key 'url'"));
  CHECK(reasons(no_key).back() == "Warning/SecretKeyNotFound");

  // The same problem seen again is not announced again.
  world.object = read_migration_job(
      testing::migration_job_object(status_of("Pending", "SecretKeyNotFound", "")));
  world.target = read_workload(held_deployment());
  CHECK(decide(world).events.empty());
}

TEST_CASE("an unsupported target kind stalls without a Job", "[migration][decide]") {
  Json object = testing::migration_job_object();
  object["spec"]["rollout"]["targetRef"]["kind"] = Json::string("DaemonSet");
  Observed world;
  world.object = read_migration_job(object);
  Decision decision = decide(world);
  CHECK_FALSE(decision.create_job);
  CHECK(decision.status->reason == "UnsupportedTargetKind");
  CHECK(decision.status->verdict == Verdict::kStalled);
  CHECK(reasons(decision) == std::vector<std::string>{"Warning/UnsupportedTargetKind"});
}

TEST_CASE("a Job found without a status naming it is announced, as after a crash",
          "[migration][decide]") {
  Observed world = observed();
  world.target = read_workload(held_deployment());
  world.job = job(R"({"active": 1, "startTime": "2026-11-22T05:00:00Z"})");
  CHECK(reasons(decide(world)) == std::vector<std::string>{"Normal/Started"});
}

TEST_CASE("a running Job is reported, and the target stays held", "[migration][decide]") {
  Observed world = observed(status_of("Pending", "JobPending"));
  world.target = read_workload(held_deployment());
  world.job = job(R"({"active": 1, "startTime": "2026-11-22T05:00:00Z"})");
  Decision decision = decide(world);
  CHECK_FALSE(decision.create_job);
  CHECK(decision.target_patches.empty());
  CHECK(decision.status->phase == Phase::kExpanding);
  CHECK_THAT(decision.status->message, Catch::Contains("attempt 1 of 3"));
  CHECK(decision.events.empty());
}

TEST_CASE("success records the revision and releases the target, once", "[migration][decide]") {
  Observed world = observed(status_of("Running", "JobRunning"));
  world.target = read_workload(held_deployment());
  world.job = job(R"({"succeeded": 1, "conditions": [{"type": "Complete", "status": "True"}]})");
  world.report = RunnerReport{true, {"a84e1c9b3d72"}, "", 0, "", false, {}};
  Decision decision = decide(world);
  CHECK(decision.status->phase == Phase::kSucceeded);
  CHECK(decision.status->verdict == Verdict::kSucceeded);
  CHECK(decision.status->applied_revisions == std::vector<std::string>{"a84e1c9b3d72"});
  REQUIRE(decision.target_patches.size() == 1);
  CHECK(decision.target_patches[0].patch.at("spec").at("paused").is_null());
  CHECK(reasons(decision) ==
        std::vector<std::string>{"Normal/RolloutReleased", "Normal/Succeeded"});

  Observed after = observed(status_of("Succeeded", "Succeeded"));
  after.job = world.job;
  Decision again = decide(after);
  CHECK(again.events.empty());
  CHECK(again.target_patches.empty());
}

TEST_CASE("failure stalls, keeps the target held and says why", "[migration][decide]") {
  Observed world = observed(status_of("Running", "JobRunning"));
  world.target = read_workload(held_deployment());
  world.job = job(R"({"failed": 3, "conditions": [{"type": "Failed", "status": "True",
                       "reason": "BackoffLimitExceeded", "message": "backoff limit"}]})");
  world.report = RunnerReport{false, {}, "versions/b2.sql:7: syntax error", 1, "migration-failed", false, {}};
  Decision decision = decide(world);
  CHECK(decision.status->phase == Phase::kFailed);
  CHECK(decision.status->verdict == Verdict::kStalled);
  CHECK(decision.status->reason == "MigrationFailed");
  CHECK_THAT(decision.status->message, Catch::Contains("versions/b2.sql:7: syntax error") &&
                                           Catch::Contains("set spec.image") &&
                                           Catch::Contains("Deployment/shop-api stays held"));
  CHECK(decision.target_patches.empty());
  CHECK(decision.holding == std::optional<std::string>("Deployment/shop-api"));
  CHECK(reasons(decision) == std::vector<std::string>{"Warning/Failed"});
  REQUIRE(decision.events.size() == 1);
  CHECK(decision.events[0].message == decision.status->message);
}

TEST_CASE("a Job's outcome is timed once, when status first records it", "[migration][decide]") {
  Observed world = observed(status_of("Running", "JobRunning"));
  world.target = read_workload(held_deployment());
  world.job = job(R"({"succeeded": 1, "startTime": "2026-11-22T06:00:00Z",
                      "completionTime": "2026-11-22T06:01:30Z",
                      "conditions": [{"type": "Complete", "status": "True"}]})");
  Decision decision = decide(world);
  REQUIRE(decision.finished);
  CHECK(decision.finished->outcome == "succeeded");
  CHECK(decision.finished->seconds == 90);
  CHECK_FALSE(decision.holding);  // released

  Observed after = observed(status_of("Succeeded", "Succeeded"));
  after.job = world.job;
  CHECK_FALSE(decide(after).finished);
}

TEST_CASE("a recorded outcome stands when its Job is gone: no second Job", "[migration][decide]") {
  Observed world = observed(status_of("Failed", "BackoffLimitExceeded"));
  world.target = read_workload(held_deployment());
  Decision decision = decide(world);
  CHECK_FALSE(decision.create_job);
  CHECK(decision.status->phase == Phase::kFailed);
  CHECK(decision.status->message == "recorded");
  CHECK(decision.events.empty());
}

TEST_CASE("a recorded outcome is kept while its Job remains, without reading the report again",
          "[migration][decide]") {
  Observed world = observed(status_of("Failed", "BackoffLimitExceeded"));
  world.target = read_workload(held_deployment());
  world.job = job(R"({"failed": 3, "conditions": [{"type": "Failed", "status": "True",
                       "reason": "BackoffLimitExceeded", "message": "backoff limit"}]})");
  Decision decision = decide(world);
  CHECK(decision.status->message == "recorded");
  CHECK(decision.events.empty());
}

TEST_CASE("a Job deleted while it ran is made again, under the same name", "[migration][decide]") {
  Observed world = observed(status_of("Running", "JobRunning"));
  world.target = read_workload(held_deployment());
  world.secret = Observed::Secret::kPresent;
  Decision decision = decide(world);
  REQUIRE(decision.create_job);
  CHECK(kube::name_of(*decision.create_job) == kJob);
  CHECK(decision.events.empty());  // the same Job, as far as status and Events go
}

TEST_CASE("a new generation waits for the previous generation's Job", "[migration][decide]") {
  Observed world = observed(R"({"observedGeneration": 2, "phase": "Running", "jobName": "shop-migrate-2-abcd"})");
  world.unfinished_previous_job = "shop-migrate-2-abcd";
  Decision decision = decide(world);
  CHECK_FALSE(decision.create_job);
  CHECK(decision.status->reason == "WaitingForPreviousJob");
  CHECK(decision.status->verdict == Verdict::kProgressing);
  CHECK(holds(decision));
}

TEST_CASE("deletion releases the held target and then the finalizer", "[migration][decide]") {
  Json object = testing::migration_job_object(status_of("Failed", "BackoffLimitExceeded"));
  object["metadata"]["deletionTimestamp"] = Json::string("2026-11-22T06:00:00Z");
  Observed world;
  world.object = read_migration_job(object);
  world.target = read_workload(held_deployment());
  Decision decision = decide(world);
  REQUIRE(decision.target_patches.size() == 1);
  CHECK(decision.remove_finalizer);
  CHECK_FALSE(decision.status);
  CHECK_FALSE(decision.create_job);
}

TEST_CASE("a changed target releases the former one", "[migration][decide]") {
  Json object = testing::migration_job_object(status_of("Succeeded", "Succeeded"));
  object["status"]["rolloutTarget"] = Json::string("Deployment/old-api");
  object["spec"]["rollout"]["targetRef"]["name"] = Json::string("shop-api");
  Observed world;
  world.object = read_migration_job(object);
  world.object.generation = 4;
  world.secret = Observed::Secret::kPresent;
  world.target = read_workload(testing::deployment());
  Json former = held_deployment();
  former["metadata"]["name"] = Json::string("old-api");
  world.former_target = read_workload(former);
  Decision decision = decide(world);
  REQUIRE(decision.target_patches.size() == 2);
  CHECK(decision.target_patches[0].name == "old-api");
  CHECK(decision.target_patches[0].patch.at("spec").at("paused").is_null());
  CHECK(decision.target_patches[1].name == "shop-api");
  CHECK(decision.status->rollout_target == "Deployment/shop-api");
}

TEST_CASE("the Job pulls its image as the gated Deployment's container does", "[migration][decide]") {
  Observed world = observed();
  world.secret = Observed::Secret::kPresent;
  world.target = read_workload(Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "shop-api", "namespace": "shop", "resourceVersion": "7"},
      "spec": {"template": {"spec": {"containers": [{"name": "api", "imagePullPolicy": "Always"}]}}}})"));
  Decision decision = decide(world);
  REQUIRE(decision.create_job);
  CHECK(kube::string_at(decision.create_job->at("spec").at("template").at("spec").at("containers").at(0),
                        {"imagePullPolicy"}) == "Always");
}
