#pragma once

#include <string>
#include <vector>

#include "kube/object.h"

namespace schemagate::migration {

using kube::Json;

/// Where a released Deployment's or StatefulSet's rollout is, as the
/// contract phase needs to know it: complete only once no pod of an older
/// version is left, terminating ones included (they still run queries).
struct RolloutProgress {
  enum class State { kProgressing, kComplete, kFailed };
  State state = State::kProgressing;
  /// For status: what is left ("1 of 2 pods updated") or why it failed.
  std::string message;
};

/// Reads `workload` (a Deployment or StatefulSet as the API server returns
/// it) and `pods`, those its selector matches. A Deployment is complete when
/// its controller has seen the latest spec, updatedReplicas == replicas ==
/// availableReplicas == spec.replicas, and every pod of its ReplicaSets has
/// one pod-template-hash and none is terminating; it has failed when its
/// Progressing condition says ProgressDeadlineExceeded. A StatefulSet is
/// complete when currentRevision == updateRevision, every replica is ready
/// and every pod has the updateRevision; it has no deadline, so it never
/// fails here.
RolloutProgress read_rollout_progress(const Json& workload, const std::vector<Json>& pods);

/// The workload's spec.selector as a label selector query
/// ("app=shop,tier in (web,api)"); "" when it has none, which selects
/// nothing a rollout could wait for.
std::string selector_query(const Json& workload);

/// A short hash of the workload's spec.template: the version it rolls out.
/// A rollout whose template hash changes after the release was rolled back
/// or replaced.
std::string template_hash(const Json& workload);

}  // namespace schemagate::migration
