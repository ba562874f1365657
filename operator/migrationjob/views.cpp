#include "migrationjob/views.h"

#include <algorithm>

#include "kube/json_path.h"
#include "migrationjob/rollout_gate.h"

namespace schemagate::migrationjob {
namespace {

using kube::find_path;
using kube::Json;
using kube::string_at;

Json value_or_null(const Json* value) { return value ? *value : Json::null(); }

std::string first_container_pull_policy(const Json& object) {
  const Json* containers = find_path(object, {"spec", "template", "spec", "containers"});
  if (!containers || !containers->is_array() || containers->size() == 0) return "";
  return string_at(containers->at(0), {"imagePullPolicy"});
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
  return workload;
}

JobView read_job(const Json& object) {
  return JobView{kube::name_of(object), read_job_progress(object)};
}

SecretView read_secret(const Json& object) {
  SecretView secret;
  if (const Json* data = find_path(object, {"data"}); data && data->is_object()) {
    for (const auto& field : data->as_object()) secret.keys.push_back(field.first);
  }
  return secret;
}

}  // namespace schemagate::migrationjob
