#include "migrationjob/views.h"

#include <algorithm>

#include "kube/json_path.h"
#include "migrationjob/rollout_gate.h"
#include "schemagate/common/sha256.h"

namespace schemagate::migrationjob {
namespace {

using kube::find_path;
using kube::integer_at;
using kube::Json;
using kube::string_at;

Json value_or_null(const Json* value) { return value ? *value : Json::null(); }

std::string first_container_pull_policy(const Json& object) {
  const Json* containers = find_path(object, {"spec", "template", "spec", "containers"});
  if (!containers || !containers->is_array() || containers->size() == 0) return "";
  return string_at(containers->at(0), {"imagePullPolicy"});
}

std::string requirement(const Json& expression) {
  const std::string key = string_at(expression, {"key"});
  const std::string op = string_at(expression, {"operator"});
  if (op == "Exists") return key;
  if (op == "DoesNotExist") return "!" + key;
  std::string values;
  if (const Json* list = find_path(expression, {"values"}); list && list->is_array()) {
    for (const Json& value : list->as_array()) {
      if (value.is_string()) values += (values.empty() ? "" : ",") + value.as_string();
    }
  }
  return key + (op == "NotIn" ? " notin (" : " in (") + values + ")";
}

std::string selector_query(const Json& object) {
  std::string query;
  auto add = [&query](const std::string& part) { query += (query.empty() ? "" : ",") + part; };
  if (const Json* labels = find_path(object, {"spec", "selector", "matchLabels"});
      labels && labels->is_object()) {
    for (const auto& label : labels->as_object()) {
      if (label.second.is_string()) add(label.first + "=" + label.second.as_string());
    }
  }
  if (const Json* expressions = find_path(object, {"spec", "selector", "matchExpressions"});
      expressions && expressions->is_array()) {
    for (const Json& expression : expressions->as_array()) add(requirement(expression));
  }
  return query;
}

RolloutStatus read_rollout_status(const Json& object) {
  RolloutStatus rollout;
  auto count = [&object](const char* field) {
    return integer_at(object, {"status", field}).value_or(0);
  };
  rollout.generation = integer_at(object, {"metadata", "generation"}).value_or(0);
  rollout.observed_generation = count("observedGeneration");
  rollout.wanted = integer_at(object, {"spec", "replicas"}).value_or(1);
  rollout.replicas = count("replicas");
  rollout.updated = count("updatedReplicas");
  rollout.available = count("availableReplicas");
  rollout.ready = count("readyReplicas");
  rollout.current_revision = string_at(object, {"status", "currentRevision"});
  rollout.update_revision = string_at(object, {"status", "updateRevision"});
  if (const Json* conditions = find_path(object, {"status", "conditions"});
      conditions && conditions->is_array()) {
    for (const Json& condition : conditions->as_array()) {
      if (string_at(condition, {"type"}) == "Progressing" &&
          string_at(condition, {"reason"}) == "ProgressDeadlineExceeded") {
        rollout.deadline_exceeded = string_at(condition, {"message"});
        if (rollout.deadline_exceeded.empty()) rollout.deadline_exceeded = "no progress";
      }
    }
  }
  return rollout;
}

}  // namespace

bool SecretView::has_key(const std::string& key) const {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Workload read_workload(const Json& object) {
  Workload workload;
  workload.kind = string_at(object, {"kind"});
  workload.name = kube::name_of(object);
  workload.resource_version = kube::resource_version_of(object);
  workload.gate = read_gate(object);
  workload.update_strategy = string_at(object, {"spec", "updateStrategy", "type"});
  workload.paused = value_or_null(find_path(object, {"spec", "paused"}));
  workload.partition =
      value_or_null(find_path(object, {"spec", "updateStrategy", "rollingUpdate", "partition"}));
  workload.pull_policy = first_container_pull_policy(object);
  workload.uid = string_at(object, {"metadata", "uid"});
  workload.selector = selector_query(object);
  const Json* pod_template = find_path(object, {"spec", "template"});
  workload.template_hash = sha256_hex(pod_template ? pod_template->serialize() : "").substr(0, 16);
  workload.rollout = read_rollout_status(object);
  return workload;
}

JobView read_job(const Json& object) {
  return JobView{kube::name_of(object), read_job_progress(object)};
}

PodView read_pod(const Json& object) {
  PodView pod;
  if (const Json* owners = find_path(object, {"metadata", "ownerReferences"});
      owners && owners->is_array()) {
    for (const Json& owner : owners->as_array()) {
      if (!kube::bool_at(owner, {"controller"})) continue;
      pod.owner_kind = string_at(owner, {"kind"});
      pod.owner_uid = string_at(owner, {"uid"});
    }
  }
  pod.template_hash = string_at(object, {"metadata", "labels", "pod-template-hash"});
  pod.revision = string_at(object, {"metadata", "labels", "controller-revision-hash"});
  pod.terminating = find_path(object, {"metadata", "deletionTimestamp"}) != nullptr;
  return pod;
}

SecretView read_secret(const Json& object) {
  SecretView secret;
  if (const Json* data = find_path(object, {"data"}); data && data->is_object()) {
    for (const auto& field : data->as_object()) secret.keys.push_back(field.first);
  }
  return secret;
}

}  // namespace schemagate::migrationjob
