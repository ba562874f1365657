#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "migrationjob/status.h"
#include "migrationjob/status_json.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using schemagate::kube::Json;

namespace {

std::string condition(const Json& status, const std::string& type, const char* field) {
  for (const Json& item : status.at("conditions").as_array()) {
    if (kube::string_at(item, {"type"}) == type) return kube::string_at(item, {field});
  }
  return "absent";
}

// A status as the operator writes it, over one as the API server returned it.
Json render(const DesiredStatus& desired, int64_t generation, const Json& old,
            const std::string& now) {
  return status_json(render_status(desired, generation, read_status(old), now));
}

}  // namespace

TEST_CASE("the verdict sets the three kstatus conditions", "[migration][status]") {
  DesiredStatus desired;
  desired.phase = Phase::kRunning;
  desired.reason = "JobRunning";
  desired.message = "Job x is upgrading";
  Json progressing = render(desired, 4, Json::null(), "T1");
  CHECK(kube::integer_at(progressing, {"observedGeneration"}) == 4);
  CHECK(condition(progressing, "Ready", "status") == "False");
  CHECK(condition(progressing, "Reconciling", "status") == "True");
  CHECK(condition(progressing, "Stalled", "status") == "False");
  CHECK(condition(progressing, "Reconciling", "reason") == "JobRunning");

  desired.verdict = Verdict::kStalled;
  Json stalled = render(desired, 4, progressing, "T2");
  CHECK(condition(stalled, "Stalled", "status") == "True");
  CHECK(condition(stalled, "Stalled", "lastTransitionTime") == "T2");
  // Ready stayed False: its transition time is kept.
  CHECK(condition(stalled, "Ready", "lastTransitionTime") == "T1");

  desired.verdict = Verdict::kSucceeded;
  desired.applied_revisions = {"a1", "b2"};
  Json ready = render(desired, 4, stalled, "T3");
  CHECK(condition(ready, "Ready", "status") == "True");
  CHECK(kube::string_at(ready, {"appliedRevision"}) == "a1,b2");
}

TEST_CASE("an unchanged world renders an identical status, and keeps the applied revision",
          "[migration][status]") {
  DesiredStatus desired;
  desired.phase = Phase::kSucceeded;
  desired.verdict = Verdict::kSucceeded;
  desired.reason = "Succeeded";
  desired.applied_revisions = {"a84e1c9b3d72"};
  desired.job_name = "shop-migrate-3-7f9c";
  Json first = render(desired, 3, Json::null(), "T1");
  desired.applied_revisions.clear();
  CHECK(render(desired, 3, first, "T2") == first);
}

TEST_CASE("a status reads back as written, in the CRD's field names", "[migration][status]") {
  Json written = Json::parse(R"({"observedGeneration": 3, "phase": "Succeeded",
    "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded", "message": "done",
                    "observedGeneration": 3, "lastTransitionTime": "T1"}],
    "message": "done", "jobName": "shop-migrate-3-7f9c", "startTime": "T0",
    "completionTime": "T1", "attempts": 1, "appliedRevision": "a1,b2",
    "rolloutTarget": "Deployment/shop-api"})");
  MigrationJobStatus status = read_status(written);
  CHECK(status.phase == Phase::kSucceeded);
  REQUIRE(status.condition("Ready"));
  CHECK(status.condition("Ready")->last_transition_time == "T1");
  CHECK(status.condition("Stalled") == nullptr);
  CHECK(status.rollout_target == "Deployment/shop-api");
  CHECK(status_json(status) == written);
}

TEST_CASE("a split's Jobs, contract revisions and template hash read back as written",
          "[migration][status][phases]") {
  Json written = Json::parse(R"({"observedGeneration": 3, "phase": "RollingOut", "conditions": [],
    "message": "rolling out", "jobName": "shop-migrate-3-7f9c",
    "expandJobName": "shop-migrate-3-7f9c", "contractRevisions": "c3,d4",
    "rolloutTemplateHash": "0123456789abcdef"})");
  MigrationJobStatus status = read_status(written);
  CHECK(status.phase == Phase::kRollingOut);
  CHECK(status.split.expand_job_name == "shop-migrate-3-7f9c");
  CHECK(status.split.contract_job_name.empty());
  CHECK(status.split.contract_revisions == "c3,d4");
  CHECK(status.split.released());
  CHECK(status_json(status) == written);

  DesiredStatus desired;
  desired.phase = Phase::kContracting;
  desired.split = status.split;
  desired.split.contract_job_name = "shop-migrate-3-contract-1a2b";
  MigrationJobStatus rendered = render_status(desired, 3, status, "T1");
  CHECK(rendered.split == desired.split);
  CHECK(rendered != status);
}

TEST_CASE("a phase this operator does not know reads as none", "[migration][status]") {
  MigrationJobStatus status = read_status(Json::parse(R"({"phase": "Sideways", "attempts": "x"})"));
  CHECK_FALSE(status.phase);
  CHECK(status.attempts == 0);
  CHECK(kube::string_at(status_json(status), {"phase"}).empty());
}
