#include "migrationjob/status_json.h"

#include "kube/json_path.h"

namespace schemagate::migrationjob {
namespace {

using kube::integer_at;
using kube::Json;
using kube::string_at;

Condition read_condition(const Json& item) {
  Condition condition;
  condition.type = string_at(item, {"type"});
  condition.status = string_at(item, {"status"});
  condition.reason = string_at(item, {"reason"});
  condition.message = string_at(item, {"message"});
  condition.observed_generation = integer_at(item, {"observedGeneration"}).value_or(0);
  condition.last_transition_time = string_at(item, {"lastTransitionTime"});
  return condition;
}

Json condition_json(const Condition& condition) {
  Json result = Json::object();
  result["type"] = Json::string(condition.type);
  result["status"] = Json::string(condition.status);
  result["reason"] = Json::string(condition.reason);
  result["message"] = Json::string(condition.message);
  result["observedGeneration"] = Json::number(condition.observed_generation);
  result["lastTransitionTime"] = Json::string(condition.last_transition_time);
  return result;
}

}  // namespace

MigrationJobStatus read_status(const Json& status) {
  MigrationJobStatus result;
  result.observed_generation = integer_at(status, {"observedGeneration"}).value_or(0);
  result.phase = parse_phase(string_at(status, {"phase"}));
  if (const Json* conditions = kube::find_path(status, {"conditions"});
      conditions && conditions->is_array()) {
    for (const Json& item : conditions->as_array()) {
      if (item.is_object()) result.conditions.push_back(read_condition(item));
    }
  }
  result.message = string_at(status, {"message"});
  result.job_name = string_at(status, {"jobName"});
  result.start_time = string_at(status, {"startTime"});
  result.completion_time = string_at(status, {"completionTime"});
  result.attempts = integer_at(status, {"attempts"}).value_or(0);
  result.applied_revision = string_at(status, {"appliedRevision"});
  result.rollout_target = string_at(status, {"rolloutTarget"});
  result.split.expand_job_name = string_at(status, {"expandJobName"});
  result.split.contract_job_name = string_at(status, {"contractJobName"});
  result.split.contract_revisions = string_at(status, {"contractRevisions"});
  result.split.rollout_template_hash = string_at(status, {"rolloutTemplateHash"});
  return result;
}

Json status_json(const MigrationJobStatus& status) {
  Json result = Json::object();
  result["observedGeneration"] = Json::number(status.observed_generation);
  if (status.phase) result["phase"] = Json::string(to_string(*status.phase));
  std::vector<Json> conditions;
  for (const Condition& condition : status.conditions) {
    conditions.push_back(condition_json(condition));
  }
  result["conditions"] = Json::array(conditions);
  result["message"] = Json::string(status.message);
  auto set_text = [&result](const char* field, const std::string& value) {
    if (!value.empty()) result[field] = Json::string(value);
  };
  set_text("jobName", status.job_name);
  set_text("startTime", status.start_time);
  set_text("completionTime", status.completion_time);
  if (status.attempts > 0) result["attempts"] = Json::number(status.attempts);
  set_text("appliedRevision", status.applied_revision);
  set_text("rolloutTarget", status.rollout_target);
  set_text("expandJobName", status.split.expand_job_name);
  set_text("contractJobName", status.split.contract_job_name);
  set_text("contractRevisions", status.split.contract_revisions);
  set_text("rolloutTemplateHash", status.split.rollout_template_hash);
  return result;
}

}  // namespace schemagate::migrationjob
