#include "migration/rollout_progress.h"

#include <set>

#include "kube/json_path.h"
#include "schemagate/common/sha256.h"

namespace schemagate::migration {
namespace {

using kube::find_path;
using kube::integer_at;
using kube::string_at;

RolloutProgress progressing(const std::string& message) {
  return {RolloutProgress::State::kProgressing, message};
}

// Whether `pod`'s controller is of `kind` (and, when `uid` is given, that object).
bool controlled_by(const Json& pod, const std::string& kind, const std::string& uid = "") {
  const Json* owners = find_path(pod, {"metadata", "ownerReferences"});
  if (!owners || !owners->is_array()) return false;
  for (const Json& owner : owners->as_array()) {
    if (kube::bool_at(owner, {"controller"}) && string_at(owner, {"kind"}) == kind &&
        (uid.empty() || string_at(owner, {"uid"}) == uid)) {
      return true;
    }
  }
  return false;
}

bool terminating(const Json& pod) {
  return find_path(pod, {"metadata", "deletionTimestamp"}) != nullptr;
}

std::string count_text(int64_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// The pods the workload controls that are not of `revision` (under
// `label`), or are terminating: what a contract must wait for. An empty
// `revision` counts pods of more than one revision.
int64_t old_pods(const std::vector<Json>& pods, const std::string& owner_kind,
                 const std::string& owner_uid, const char* label, const std::string& revision) {
  std::set<std::string> revisions;
  int64_t old = 0;
  for (const Json& pod : pods) {
    if (!controlled_by(pod, owner_kind, owner_uid)) continue;
    std::string pod_revision = string_at(pod, {"metadata", "labels", label});
    if (terminating(pod) || (!revision.empty() && pod_revision != revision)) {
      ++old;
    } else {
      revisions.insert(pod_revision);
    }
  }
  // Without a revision to compare with, all but the largest group is old; two
  // groups of live pods only happen mid-rollout, which the counts catch first.
  if (revision.empty() && revisions.size() > 1) old += static_cast<int64_t>(revisions.size()) - 1;
  return old;
}

RolloutProgress deployment_progress(const Json& deployment, const std::vector<Json>& pods) {
  if (const Json* conditions = find_path(deployment, {"status", "conditions"});
      conditions && conditions->is_array()) {
    for (const Json& condition : conditions->as_array()) {
      if (string_at(condition, {"type"}) == "Progressing" &&
          string_at(condition, {"reason"}) == "ProgressDeadlineExceeded") {
        return {RolloutProgress::State::kFailed,
                "ProgressDeadlineExceeded: " + string_at(condition, {"message"})};
      }
    }
  }
  const int64_t generation = integer_at(deployment, {"metadata", "generation"}).value_or(0);
  if (integer_at(deployment, {"status", "observedGeneration"}).value_or(0) < generation) {
    return progressing("waiting for the Deployment controller to see generation " +
                       std::to_string(generation));
  }
  const int64_t wanted = integer_at(deployment, {"spec", "replicas"}).value_or(1);
  const int64_t updated = integer_at(deployment, {"status", "updatedReplicas"}).value_or(0);
  const int64_t replicas = integer_at(deployment, {"status", "replicas"}).value_or(0);
  const int64_t available = integer_at(deployment, {"status", "availableReplicas"}).value_or(0);
  if (updated < wanted) {
    return progressing(std::to_string(updated) + " of " + count_text(wanted, "pod") + " updated");
  }
  if (replicas > updated) {
    return progressing(count_text(replicas - updated, "old pod") + " still running");
  }
  if (available < wanted) {
    return progressing(std::to_string(available) + " of " + count_text(wanted, "updated pod") +
                       " available");
  }
  // The counts leave out terminating pods, which still serve until they are
  // gone. The pods belong to the Deployment's ReplicaSets, of any uid.
  if (int64_t old = old_pods(pods, "ReplicaSet", "", "pod-template-hash", "")) {
    return progressing(count_text(old, "old pod") + " not gone yet");
  }
  return {RolloutProgress::State::kComplete, "all " + count_text(wanted, "pod") + " updated"};
}

RolloutProgress stateful_set_progress(const Json& set, const std::vector<Json>& pods) {
  const int64_t generation = integer_at(set, {"metadata", "generation"}).value_or(0);
  if (integer_at(set, {"status", "observedGeneration"}).value_or(0) < generation) {
    return progressing("waiting for the StatefulSet controller to see generation " +
                       std::to_string(generation));
  }
  const int64_t wanted = integer_at(set, {"spec", "replicas"}).value_or(1);
  const int64_t updated = integer_at(set, {"status", "updatedReplicas"}).value_or(0);
  const int64_t ready = integer_at(set, {"status", "readyReplicas"}).value_or(0);
  const std::string update_revision = string_at(set, {"status", "updateRevision"});
  if (string_at(set, {"status", "currentRevision"}) != update_revision || update_revision.empty()) {
    return progressing(std::to_string(updated) + " of " + count_text(wanted, "pod") + " updated");
  }
  if (ready < wanted) {
    return progressing(std::to_string(ready) + " of " + count_text(wanted, "pod") + " ready");
  }
  if (int64_t old = old_pods(pods, "StatefulSet", string_at(set, {"metadata", "uid"}),
                             "controller-revision-hash", update_revision)) {
    return progressing(count_text(old, "old pod") + " not gone yet");
  }
  return {RolloutProgress::State::kComplete, "all " + count_text(wanted, "pod") + " updated"};
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

}  // namespace

RolloutProgress read_rollout_progress(const Json& workload, const std::vector<Json>& pods) {
  if (string_at(workload, {"kind"}) == "StatefulSet") return stateful_set_progress(workload, pods);
  return deployment_progress(workload, pods);
}

std::string selector_query(const Json& workload) {
  std::string query;
  auto add = [&query](const std::string& part) { query += (query.empty() ? "" : ",") + part; };
  if (const Json* labels = find_path(workload, {"spec", "selector", "matchLabels"});
      labels && labels->is_object()) {
    for (const auto& [key, value] : labels->as_object()) {
      if (value.is_string()) add(key + "=" + value.as_string());
    }
  }
  if (const Json* expressions = find_path(workload, {"spec", "selector", "matchExpressions"});
      expressions && expressions->is_array()) {
    for (const Json& expression : expressions->as_array()) add(requirement(expression));
  }
  return query;
}

std::string template_hash(const Json& workload) {
  const Json* pod_template = find_path(workload, {"spec", "template"});
  return sha256_hex(pod_template ? pod_template->serialize() : "").substr(0, 16);
}

}  // namespace schemagate::migration
