#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "migrationjob/status.h"

using namespace schemagate;
using namespace schemagate::migrationjob;

namespace {

std::string condition(const Json& status, const std::string& type, const char* field) {
  for (const Json& item : status.at("conditions").as_array()) {
    if (kube::string_at(item, {"type"}) == type) return kube::string_at(item, {field});
  }
  return "absent";
}

}  // namespace

TEST_CASE("the verdict sets the three kstatus conditions", "[migration][status]") {
  DesiredStatus desired;
  desired.phase = "Running";
  desired.reason = "JobRunning";
  desired.message = "Job x is upgrading";
  Json progressing = render_status(desired, 4, Json::null(), "T1");
  CHECK(kube::integer_at(progressing, {"observedGeneration"}) == 4);
  CHECK(condition(progressing, "Ready", "status") == "False");
  CHECK(condition(progressing, "Reconciling", "status") == "True");
  CHECK(condition(progressing, "Stalled", "status") == "False");
  CHECK(condition(progressing, "Reconciling", "reason") == "JobRunning");

  desired.verdict = Verdict::kStalled;
  Json stalled = render_status(desired, 4, progressing, "T2");
  CHECK(condition(stalled, "Stalled", "status") == "True");
  CHECK(condition(stalled, "Stalled", "lastTransitionTime") == "T2");
  // Ready stayed False: its transition time is kept.
  CHECK(condition(stalled, "Ready", "lastTransitionTime") == "T1");

  desired.verdict = Verdict::kSucceeded;
  desired.applied_revisions = {"a1", "b2"};
  Json ready = render_status(desired, 4, stalled, "T3");
  CHECK(condition(ready, "Ready", "status") == "True");
  CHECK(kube::string_at(ready, {"appliedRevision"}) == "a1,b2");
}

TEST_CASE("an unchanged world renders an identical status, and keeps the applied revision",
          "[migration][status]") {
  DesiredStatus desired;
  desired.phase = "Succeeded";
  desired.verdict = Verdict::kSucceeded;
  desired.reason = "Succeeded";
  desired.applied_revisions = {"a84e1c9b3d72"};
  desired.job_name = "shop-migrate-3-7f9c";
  Json first = render_status(desired, 3, Json::null(), "T1");
  desired.applied_revisions.clear();
  CHECK(render_status(desired, 3, first, "T2") == first);
}
