#include "migration/status.h"

#include "kube/json_path.h"

namespace schemagate::migration {
namespace {

using kube::find_path;
using kube::string_at;

Json condition(const char* type, bool value, const DesiredStatus& desired, int64_t generation,
               const Json& old_status, const std::string& now) {
  std::string status = value ? "True" : "False";
  std::string since = now;
  if (const Json* old = find_path(old_status, {"conditions"}); old && old->is_array()) {
    for (const Json& previous : old->as_array()) {
      if (string_at(previous, {"type"}) == type && string_at(previous, {"status"}) == status) {
        std::string kept = string_at(previous, {"lastTransitionTime"});
        if (!kept.empty()) since = kept;
      }
    }
  }
  Json result = Json::object();
  result["type"] = Json::string(type);
  result["status"] = Json::string(status);
  result["reason"] = Json::string(desired.reason);
  result["message"] = Json::string(desired.message);
  result["observedGeneration"] = Json::number(generation);
  result["lastTransitionTime"] = Json::string(since);
  return result;
}

}  // namespace

std::string revision_text(const std::vector<std::string>& revisions) {
  std::string text;
  for (const std::string& revision : revisions) text += (text.empty() ? "" : ",") + revision;
  return text;
}

Json render_status(const DesiredStatus& desired, int64_t generation, const Json& old_status,
                   const std::string& now) {
  Json status = Json::object();
  status["observedGeneration"] = Json::number(generation);
  status["phase"] = Json::string(desired.phase);
  status["conditions"] = Json::array({
      condition("Ready", desired.verdict == Verdict::kSucceeded, desired, generation, old_status, now),
      condition("Reconciling", desired.verdict == Verdict::kProgressing, desired, generation,
                old_status, now),
      condition("Stalled", desired.verdict == Verdict::kStalled, desired, generation, old_status,
                now),
  });
  status["message"] = Json::string(desired.message);
  auto set_text = [&status](const char* field, const std::string& value) {
    if (!value.empty()) status[field] = Json::string(value);
  };
  set_text("jobName", desired.job_name);
  set_text("startTime", desired.start_time);
  set_text("completionTime", desired.completion_time);
  if (desired.attempts > 0) status["attempts"] = Json::number(desired.attempts);
  std::string revision = desired.applied_revisions.empty()
                             ? string_at(old_status, {"appliedRevision"})
                             : revision_text(desired.applied_revisions);
  set_text("appliedRevision", revision);
  set_text("rolloutTarget", desired.rollout_target);
  set_text("expandJobName", desired.expand_job_name);
  set_text("contractJobName", desired.contract_job_name);
  set_text("contractRevisions", desired.contract_revisions);
  set_text("rolloutTemplateHash", desired.rollout_template_hash);
  return status;
}

}  // namespace schemagate::migration
