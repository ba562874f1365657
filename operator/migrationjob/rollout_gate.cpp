#include "migrationjob/rollout_gate.h"

#include "kube/json_path.h"
#include "migrationjob/resources.h"

namespace schemagate::migrationjob {
namespace {

using kube::find_path;
using kube::string_at;

constexpr const char* kPausedField = "spec.paused";
constexpr const char* kPartitionField = "spec.updateStrategy.rollingUpdate.partition";
// Above every ordinal: no pod, not even one added by scaling up, gets the new template.
constexpr int64_t kHoldingPartition = 2147483647;

Json patch_base(const Workload& target, Json annotation) {
  Json patch = Json::object();
  patch["metadata"]["resourceVersion"] = Json::string(target.resource_version);
  patch["metadata"]["annotations"][kGateAnnotation] = std::move(annotation);
  return patch;
}

Json value_or_null(const Json* value) { return value ? *value : Json::null(); }

}  // namespace

std::optional<GateRecord> read_gate(const Json& target) {
  std::string text = string_at(target, {"metadata", "annotations", kGateAnnotation});
  if (text.empty()) return std::nullopt;
  GateRecord record;
  try {
    Json parsed = Json::parse(text);
    record.owner = string_at(parsed, {"owner"});
    record.field = string_at(parsed, {"field"});
    record.previous = value_or_null(find_path(parsed, {"previous"}));
  } catch (const std::exception&) {
    // Someone else's text in our annotation: the workload counts as held,
    // by no owner, so no MigrationJob ever releases it.
    record.owner.clear();
  }
  return record;
}

std::optional<Json> hold_patch(const Workload& target, const std::string& owner) {
  if (target.gate) return std::nullopt;
  Json record = Json::object();
  record["owner"] = Json::string(owner);
  Json patch;
  if (target.kind == "StatefulSet") {
    const std::string& strategy = target.update_strategy;
    if (!strategy.empty() && strategy != "RollingUpdate") return std::nullopt;
    record["field"] = Json::string(kPartitionField);
    record["previous"] = target.partition;
    patch = patch_base(target, Json::string(record.serialize()));
    patch["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = Json::number(kHoldingPartition);
  } else {
    record["field"] = Json::string(kPausedField);
    record["previous"] = target.paused;
    patch = patch_base(target, Json::string(record.serialize()));
    patch["spec"]["paused"] = Json::boolean(true);
  }
  return patch;
}

std::optional<Json> release_patch(const Workload& target, const std::string& owner) {
  const std::optional<GateRecord>& record = target.gate;
  if (!record || record->owner.empty() || record->owner != owner) return std::nullopt;
  Json patch = patch_base(target, Json::null());
  if (record->field == kPartitionField) {
    patch["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = record->previous;
  } else {
    patch["spec"]["paused"] = record->previous;
  }
  return patch;
}

}  // namespace schemagate::migrationjob
