#pragma once

#include <string>
#include <vector>

#include "migrationjob/views.h"

namespace schemagate::migrationjob {

/// Where a released Deployment's or StatefulSet's rollout is, as the
/// contract phase needs to know it: complete only once no pod of an older
/// version is left, terminating ones included (they still run queries).
struct RolloutProgress {
  enum class State { kProgressing, kComplete, kFailed };
  State state = State::kProgressing;
  /// For status: what is left ("1 of 2 pods updated") or why it failed.
  std::string message;
};

/// Judges `workload`'s rollout from what its controller reports and from
/// `pods`, those its selector matches. A Deployment is complete when its
/// controller has seen the latest spec, updatedReplicas == replicas ==
/// availableReplicas == spec.replicas, and the pods of ReplicaSets share one
/// pod-template-hash with none terminating; it has failed when its
/// Progressing condition says ProgressDeadlineExceeded. A StatefulSet is
/// complete when currentRevision == updateRevision (with OnDelete, whose
/// controller never moves currentRevision: updatedReplicas == spec.replicas),
/// every replica is ready and each of its pods has the updateRevision, none
/// terminating; it has no deadline, so it never fails here.
RolloutProgress read_rollout_progress(const Workload& workload, const std::vector<PodView>& pods);

}  // namespace schemagate::migrationjob
