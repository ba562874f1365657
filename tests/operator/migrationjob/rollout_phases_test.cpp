#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "migrationjob/decision.h"
#include "migrationjob/job_builder.h"
#include "operator/migrationjob/fixtures.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using kube::Json;

// decide() for a gated MigrationJob with spec.phases auto: expand while the
// rollout is held, release it, watch it, contract once no old pod is left.

namespace {

const std::string kExpand = job_name("shop-migrate", "uid-1", 3);
const std::string kContract = job_name("shop-migrate", "uid-1", 3, JobPhase::kContract);

// shop-api with a template and a selector, released (no gate), with
// `status` (JSON text) at generation 5.
Json app(const std::string& status, const std::string& image = "shop-api:2") {
  Json result = Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "shop-api", "namespace": "shop", "resourceVersion": "9", "generation": 5},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "shop"}},
             "template": {"metadata": {"labels": {"app": "shop"}},
                          "spec": {"containers": [{"name": "api"}]}}},
    "status": )" + status + "}");
  result["spec"]["template"]["spec"]["containers"][0]["image"] = Json::string(image);
  return result;
}

Json held(Json workload) {
  workload["spec"]["paused"] = Json::boolean(true);
  workload["metadata"]["annotations"]["schemagate.io/rollout-gate"] = Json::string(
      R"({"owner":"shop/shop-migrate","field":"spec.paused","previous":null})");
  return workload;
}

constexpr const char* kRolledOut = R"({"observedGeneration": 5, "replicas": 2,
    "updatedReplicas": 2, "availableReplicas": 2})";
constexpr const char* kHalfway = R"({"observedGeneration": 5, "replicas": 3,
    "updatedReplicas": 1, "availableReplicas": 2})";

PodView pod(const std::string& hash, bool terminating = false) {
  Json result = Json::parse(R"({"metadata": {"name": "p", "labels": {"app": "shop"},
    "ownerReferences": [{"kind": "ReplicaSet", "name": "rs", "uid": "rs", "controller": true}]}})");
  result["metadata"]["labels"]["pod-template-hash"] = Json::string(hash);
  if (terminating) result["metadata"]["deletionTimestamp"] = Json::string("2026-12-07T20:00:00Z");
  return read_pod(result);
}

JobView job(const std::string& name, const std::string& status) {
  Json result = testing::job_with_status(status);
  result["metadata"]["name"] = Json::string(name);
  return read_job(result);
}

constexpr const char* kSucceededJob = R"({"succeeded": 1, "startTime": "2026-12-07T19:00:00Z",
    "completionTime": "2026-12-07T19:01:00Z", "conditions": [{"type": "Complete", "status": "True"}]})";

RunnerReport expanded_report(bool contract_pending) {
  RunnerReport report;
  report.succeeded = true;
  report.revisions = {"b2"};
  report.contract_pending = contract_pending;
  if (contract_pending) report.contract_revisions = {"c3", "d4"};
  return report;
}

// Status as the operator wrote it once the expand Job left c3,d4 pending
// and released shop-api at its current template.
std::string rolling_out(const std::string& phase = "RollingOut", const std::string& reason = "RollingOut") {
  return R"({"observedGeneration": 3, "phase": ")" + phase + R"(", "jobName": ")" + kExpand +
         R"(", "expandJobName": ")" + kExpand + R"(", "contractRevisions": "c3,d4",
    "rolloutTemplateHash": ")" + read_workload(app("{}")).template_hash + R"(", "appliedRevision": "b2",
    "message": "recorded", "conditions": [{"type": "Ready", "status": "False", "reason": ")" +
         reason + R"("}]})";
}

Observed observed(const std::string& status, const Json& target) {
  Observed result;
  result.object = read_migration_job(testing::migration_job_object(status));
  result.target = read_workload(target);
  return result;
}

std::vector<std::string> reasons(const Decision& decision) {
  std::vector<std::string> result;
  for (const EventSpec& event : decision.events) result.push_back(event.type + "/" + event.reason);
  return result;
}

std::string args_of(const Json& job) {
  return job.at("spec").at("template").at("spec").at("containers").at(0).at("args").serialize();
}

}  // namespace

TEST_CASE("split: the first Job runs the expand phase while the rollout is held",
          "[migration][decide][phases]") {
  Observed world = observed("null", app(kRolledOut));
  world.secret = Observed::Secret::kPresent;
  Decision decision = decide(world);
  REQUIRE(decision.create_job);
  CHECK(kube::name_of(*decision.create_job) == kExpand);
  CHECK_THAT(args_of(*decision.create_job), Catch::Contains(R"("upgrade","heads","--phase","expand")"));
  CHECK(kube::string_at(*decision.create_job, {"metadata", "annotations", "schemagate.io/phase"}) ==
        "expand");
  CHECK(decision.status->phase == Phase::kExpanding);
  CHECK(decision.status->verdict == Verdict::kProgressing);
  REQUIRE(decision.target_patches.size() == 1);
  CHECK(decision.target_patches[0].hold);

  // phases: all, and a --phase of the user's, make the one Job of before.
  for (const char* spec : {R"({"phases": "all"})", R"({"container": {"args": ["--phase", "all"]}})"}) {
    Json object = testing::migration_job_object();
    const Json fields = Json::parse(spec);
    for (const auto& field : fields.as_object()) object["spec"][field.first] = field.second;
    world.object = read_migration_job(object);
    Decision one = decide(world);
    REQUIRE(one.create_job);
    CHECK(kube::name_of(*one.create_job) == kExpand);
    CHECK(one.status->phase == Phase::kPending);
    std::string args = args_of(*one.create_job);
    CHECK(args.find(R"("--phase","expand")") == std::string::npos);
  }
}

TEST_CASE("split: spec.phases other than auto or all is refused", "[migration][phases]") {
  Json object = testing::migration_job_object();
  object["spec"]["phases"] = Json::string("expand");
  MigrationJob parsed = read_migration_job(object);
  REQUIRE_FALSE(parsed.spec);
  CHECK(parsed.spec.error().field == "phases");
  CHECK(parsed.spec.error().message == "spec.phases: 'expand' is not auto or all");
}

TEST_CASE("split: an expand Job that leaves contract revisions pending releases the rollout",
          "[migration][decide][phases]") {
  Observed world = observed(R"({"observedGeneration": 3, "phase": "Expanding", "jobName": ")" +
                                kExpand + R"(", "conditions": []})",
                            held(app(kRolledOut)));
  world.job = job(kExpand, kSucceededJob);
  world.report = expanded_report(true);
  Decision decision = decide(world);
  REQUIRE(decision.status);
  const DesiredStatus& status = *decision.status;
  CHECK(status.phase == Phase::kRollingOut);
  CHECK(status.verdict == Verdict::kProgressing);
  CHECK(status.reason == "RollingOut");
  CHECK(status.split.expand_job_name == kExpand);
  CHECK(status.split.contract_revisions == "c3,d4");
  CHECK(status.split.rollout_template_hash == read_workload(app("{}")).template_hash);
  CHECK(status.applied_revisions == std::vector<std::string>{"b2"});
  CHECK_THAT(status.message, Catch::Contains("expanded the database to b2") &&
                                 Catch::Contains("contract revisions c3,d4 wait"));
  CHECK_FALSE(decision.create_job);
  REQUIRE(decision.target_patches.size() == 1);
  CHECK_FALSE(decision.target_patches[0].hold);
  CHECK(decision.requeue_after == kRolloutRecheck);
  CHECK_FALSE(decision.finished);  // the migration is not over
  CHECK(reasons(decision) == std::vector<std::string>{"Normal/RolloutReleased", "Normal/Expanded"});

  // Nothing left for a contract: done after one Job, as with phases all.
  world.report = expanded_report(false);
  Decision done = decide(world);
  CHECK(done.status->phase == Phase::kSucceeded);
  CHECK(done.status->verdict == Verdict::kSucceeded);
  CHECK(done.status->split.expand_job_name == kExpand);
  CHECK(done.status->split.rollout_template_hash.empty());
  CHECK(reasons(done) == std::vector<std::string>{"Normal/RolloutReleased", "Normal/Succeeded"});
}

TEST_CASE("split: while the rollout runs, the operator waits and looks again",
          "[migration][decide][phases]") {
  Observed world = observed(rolling_out(), app(kHalfway));
  world.job = job(kExpand, kSucceededJob);
  world.target_pods = {pod("a"), pod("a"), pod("b")};
  Decision decision = decide(world);
  CHECK_FALSE(decision.create_job);
  CHECK(decision.target_patches.empty());  // released stays released
  CHECK(decision.status->phase == Phase::kRollingOut);
  CHECK(decision.status->verdict == Verdict::kProgressing);
  CHECK(decision.status->message ==
        "rolling out Deployment/shop-api: 1 of 2 pods updated; contract revisions c3,d4 wait for it");
  CHECK(decision.status->job_name == kExpand);
  CHECK(decision.requeue_after == kRolloutRecheck);
  CHECK(decision.events.empty());

  // The controller's counts say done; an old pod in its grace period does not.
  world.target = read_workload(app(kRolledOut));
  world.target_pods = {pod("b"), pod("b"), pod("a", true)};
  Decision leaving = decide(world);
  CHECK_FALSE(leaving.create_job);
  CHECK_THAT(leaving.status->message, Catch::Contains("1 old pod not gone yet"));
}

TEST_CASE("split: once the last old pod is gone, the contract Job runs", "[migration][decide][phases]") {
  Observed world = observed(rolling_out(), app(kRolledOut));
  world.job = job(kExpand, kSucceededJob);
  world.target_pods = {pod("b"), pod("b")};
  world.secret = Observed::Secret::kPresent;
  Decision decision = decide(world);
  REQUIRE(decision.create_job);
  CHECK(kube::name_of(*decision.create_job) == kContract);
  CHECK_THAT(args_of(*decision.create_job), Catch::Contains(R"("upgrade","heads","--phase","contract")"));
  CHECK(decision.status->phase == Phase::kContracting);
  CHECK(decision.status->verdict == Verdict::kProgressing);
  CHECK(decision.status->job_name == kContract);
  CHECK(decision.status->split.contract_job_name == kContract);
  CHECK(decision.status->split.expand_job_name == kExpand);
  CHECK(decision.target_patches.empty());
  CHECK(reasons(decision) ==
        std::vector<std::string>{"Normal/RolloutComplete", "Normal/Contracting"});

  // Contracting, before the cache has the Job: made again, never twice.
  Observed later = observed(rolling_out("Contracting", "JobPending"), app(kHalfway));
  later.job = world.job;
  REQUIRE(decide(later).create_job);
  CHECK(kube::name_of(*decide(later).create_job) == kContract);

  // Without the Secret, no Job: said, and looked at again.
  world.secret = Observed::Secret::kMissing;
  Decision missing = decide(world);
  CHECK_FALSE(missing.create_job);
  CHECK(missing.status->phase == Phase::kContracting);
  CHECK(missing.status->reason == "SecretNotFound");
  CHECK(missing.status->split.expand_job_name == kExpand);
}

TEST_CASE("split: a failed or changed rollout stalls and never contracts", "[migration][decide][phases]") {
  Observed world = observed(rolling_out(), app(R"({"observedGeneration": 5, "replicas": 3,
      "updatedReplicas": 1, "conditions": [{"type": "Progressing", "status": "False",
      "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"shop-api-b\" has timed out progressing."}]})"));
  world.job = job(kExpand, kSucceededJob);
  world.secret = Observed::Secret::kPresent;
  Decision failed = decide(world);
  CHECK_FALSE(failed.create_job);
  CHECK(failed.target_patches.empty());
  CHECK(failed.status->phase == Phase::kRollingOut);
  CHECK(failed.status->verdict == Verdict::kStalled);
  CHECK(failed.status->reason == "RolloutFailed");
  CHECK_THAT(failed.status->message,
             Catch::Contains("ProgressDeadlineExceeded") && Catch::Contains("timed out progressing") &&
                 Catch::Contains("contract revisions c3,d4 are not") &&
                 Catch::Contains("expand revisions stay applied"));
  CHECK(failed.status->split.expand_job_name == kExpand);
  CHECK(failed.status->split.contract_revisions == "c3,d4");
  CHECK(failed.status->job_name == kExpand);
  CHECK(failed.requeue_after);  // a Deployment may recover on its own
  CHECK(reasons(failed) == std::vector<std::string>{"Warning/RolloutFailed"});

  // Announced once.
  world.object = read_migration_job(testing::migration_job_object(rolling_out("RollingOut", "RolloutFailed")));
  CHECK(decide(world).events.empty());

  // Rolled back: the template is no longer the one released.
  Observed undone = observed(rolling_out(), app(kRolledOut, "shop-api:1"));
  undone.target_pods = {pod("a"), pod("a")};
  Decision changed = decide(undone);
  CHECK_FALSE(changed.create_job);
  CHECK(changed.status->verdict == Verdict::kStalled);
  CHECK(changed.status->reason == "RolloutChanged");
  CHECK_THAT(changed.status->message, Catch::Contains("rolled back or replaced"));
  CHECK(reasons(changed) == std::vector<std::string>{"Warning/RolloutChanged"});

  // The workload gone: nothing to wait for, nothing to contract for.
  Observed gone = observed(rolling_out(), app(kRolledOut));
  gone.target.reset();
  Decision missing = decide(gone);
  CHECK_FALSE(missing.create_job);
  CHECK(missing.status->reason == "RolloutFailed");
}

TEST_CASE("split: the contract Job's outcome ends it; its failure never holds the workload again",
          "[migration][decide][phases]") {
  const std::string contracting =
      R"({"observedGeneration": 3, "phase": "Contracting", "jobName": ")" + kContract +
      R"(", "expandJobName": ")" + kExpand + R"(", "contractJobName": ")" + kContract +
      R"(", "contractRevisions": "c3,d4", "rolloutTemplateHash": ")" + read_workload(app("{}")).template_hash +
      R"(", "conditions": [{"type": "Ready", "status": "False", "reason": "JobRunning"}]})";
  Observed world = observed(contracting, app(kRolledOut));
  world.job = job(kExpand, kSucceededJob);
  world.contract_job = job(kContract, R"({"active": 1, "startTime": "2026-12-07T19:05:00Z"})");
  Decision running = decide(world);
  CHECK(running.status->phase == Phase::kContracting);
  CHECK(running.status->reason == "JobRunning");
  CHECK_THAT(running.status->message, Catch::Contains("contract revisions c3,d4 (attempt 1 of 3)"));
  CHECK(running.events.empty());
  CHECK_FALSE(running.create_job);

  world.contract_job = job(kContract, kSucceededJob);
  world.report = expanded_report(false);
  world.report->revisions = {"d4"};
  Decision done = decide(world);
  CHECK(done.status->phase == Phase::kSucceeded);
  CHECK(done.status->verdict == Verdict::kSucceeded);
  CHECK(done.status->applied_revisions == std::vector<std::string>{"d4"});
  CHECK(done.status->job_name == kContract);
  CHECK(done.status->split.expand_job_name == kExpand);
  CHECK(done.status->split.contract_job_name == kContract);
  CHECK(done.target_patches.empty());
  CHECK(reasons(done) == std::vector<std::string>{"Normal/Succeeded"});
  REQUIRE(done.finished);
  CHECK(done.finished->outcome == "succeeded");

  // Recorded: nothing runs again, even with both Jobs gone.
  Json recorded_status = Json::parse(contracting);
  recorded_status["phase"] = Json::string("Succeeded");
  recorded_status["conditions"][0]["reason"] = Json::string("Succeeded");
  Observed after = observed(recorded_status.serialize(), app(kRolledOut));
  Decision again = decide(after);
  CHECK_FALSE(again.create_job);
  CHECK(again.events.empty());
  CHECK(again.status->phase == Phase::kSucceeded);
  CHECK(again.status->split.contract_job_name == kContract);

  world.contract_job = job(kContract, R"({"failed": 1, "conditions": [{"type": "Failed",
      "status": "True", "reason": "BackoffLimitExceeded", "message": "backoff limit"}]})");
  world.report = RunnerReport{false, {}, "versions/d4.sql:2: column in use", 1, "migration-failed", false, {}};
  Decision failed = decide(world);
  CHECK(failed.status->phase == Phase::kFailed);
  CHECK(failed.status->verdict == Verdict::kStalled);
  CHECK(failed.status->reason == "MigrationFailed");
  CHECK(failed.status->split.contract_job_name == kContract);
  CHECK(failed.target_patches.empty());  // released it stays
  CHECK_THAT(failed.status->message, !Catch::Contains("stays held"));
  CHECK(reasons(failed) == std::vector<std::string>{"Warning/Failed"});
}

TEST_CASE("split: the contract Job's name is its own and fits a label", "[migration][phases]") {
  CHECK(kContract.rfind("shop-migrate-3-contract-", 0) == 0);
  CHECK(kContract != kExpand);
  std::string long_name(70, 'x');
  CHECK(job_name(long_name, "uid-1", 3, JobPhase::kContract).size() <= 63);
  CHECK(job_name("a", "uid-1", 3, JobPhase::kExpand) == job_name("a", "uid-1", 3));
}
