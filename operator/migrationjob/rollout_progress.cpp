#include "migrationjob/rollout_progress.h"

#include <set>

namespace schemagate::migrationjob {
namespace {

RolloutProgress progressing(const std::string& message) {
  return {RolloutProgress::State::kProgressing, message};
}

std::string count_text(int64_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string of(int64_t part, int64_t whole, const char* noun) {
  return std::to_string(part) + " of " + count_text(whole, noun);
}

// A Deployment's pods belong to its ReplicaSets (of any uid): those of more
// than one pod-template-hash, or terminating, are old ones still there.
int64_t old_replica_set_pods(const std::vector<PodView>& pods) {
  std::set<std::string> hashes;
  int64_t old = 0;
  for (const PodView& pod : pods) {
    if (pod.owner_kind != "ReplicaSet") continue;
    if (pod.terminating) {
      ++old;
    } else {
      hashes.insert(pod.template_hash);
    }
  }
  // Two live versions only happen mid-rollout, which the counts catch
  // first; should the counts be ahead of the pods, wait for them.
  if (hashes.size() > 1) old += static_cast<int64_t>(hashes.size()) - 1;
  return old;
}

int64_t old_stateful_set_pods(const std::vector<PodView>& pods, const Workload& set) {
  int64_t old = 0;
  for (const PodView& pod : pods) {
    if (pod.owner_kind != "StatefulSet" || pod.owner_uid != set.uid) continue;
    if (pod.terminating || pod.revision != set.rollout.update_revision) ++old;
  }
  return old;
}

// The StatefulSet controller makes the update revision current once a
// RollingUpdate has replaced every pod; under OnDelete it never does, and
// updatedReplicas says when every pod runs the update revision.
bool every_pod_updated(const Workload& set) {
  const RolloutStatus& rollout = set.rollout;
  if (rollout.update_revision.empty()) return false;
  if (set.update_strategy == "OnDelete") return rollout.updated >= rollout.wanted;
  return rollout.current_revision == rollout.update_revision;
}

RolloutProgress deployment_progress(const Workload& deployment, const std::vector<PodView>& pods) {
  const RolloutStatus& rollout = deployment.rollout;
  if (!rollout.deadline_exceeded.empty()) {
    return {RolloutProgress::State::kFailed,
            "ProgressDeadlineExceeded: " + rollout.deadline_exceeded};
  }
  if (rollout.observed_generation < rollout.generation) {
    return progressing("waiting for the Deployment controller to see generation " +
                       std::to_string(rollout.generation));
  }
  if (rollout.updated < rollout.wanted) return progressing(of(rollout.updated, rollout.wanted, "pod") + " updated");
  if (rollout.replicas > rollout.updated) {
    return progressing(count_text(rollout.replicas - rollout.updated, "old pod") + " still running");
  }
  if (rollout.available < rollout.wanted) {
    return progressing(of(rollout.available, rollout.wanted, "updated pod") + " available");
  }
  // The counts leave out terminating pods, which still serve until they are gone.
  if (int64_t old = old_replica_set_pods(pods)) {
    return progressing(count_text(old, "old pod") + " not gone yet");
  }
  return {RolloutProgress::State::kComplete, "all " + count_text(rollout.wanted, "pod") + " updated"};
}

RolloutProgress stateful_set_progress(const Workload& set, const std::vector<PodView>& pods) {
  const RolloutStatus& rollout = set.rollout;
  if (rollout.observed_generation < rollout.generation) {
    return progressing("waiting for the StatefulSet controller to see generation " +
                       std::to_string(rollout.generation));
  }
  if (!every_pod_updated(set)) return progressing(of(rollout.updated, rollout.wanted, "pod") + " updated");
  if (rollout.ready < rollout.wanted) return progressing(of(rollout.ready, rollout.wanted, "pod") + " ready");
  if (int64_t old = old_stateful_set_pods(pods, set)) {
    return progressing(count_text(old, "old pod") + " not gone yet");
  }
  return {RolloutProgress::State::kComplete, "all " + count_text(rollout.wanted, "pod") + " updated"};
}

}  // namespace

RolloutProgress read_rollout_progress(const Workload& workload, const std::vector<PodView>& pods) {
  if (workload.kind == "StatefulSet") return stateful_set_progress(workload, pods);
  return deployment_progress(workload, pods);
}

}  // namespace schemagate::migrationjob
