#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kube/object.h"
#include "migrationjob/job_progress.h"

namespace schemagate::migrationjob {

/// What holding a workload changed, kept in its kGateAnnotation so that
/// releasing restores exactly that and nothing a user set since.
struct GateRecord {
  std::string owner;  ///< "namespace/name" of the MigrationJob holding it; "" if unreadable
  std::string field;  ///< "spec.paused" or "spec.updateStrategy.rollingUpdate.partition"
  kube::Json previous;  ///< the field's value before, restored as it was; null when unset
};

/// What a workload's controller reports of its rollout, from its metadata
/// and status (rollout_progress.h judges it).
struct RolloutStatus {
  int64_t generation = 0;
  int64_t observed_generation = 0;
  int64_t wanted = 1;  ///< spec.replicas
  int64_t replicas = 0;
  int64_t updated = 0;
  int64_t available = 0;  ///< a Deployment's availableReplicas
  int64_t ready = 0;      ///< a StatefulSet's readyReplicas
  std::string current_revision;  ///< a StatefulSet's
  std::string update_revision;   ///< a StatefulSet's
  /// A Deployment's Progressing condition's message when its reason is
  /// ProgressDeadlineExceeded; "" otherwise.
  std::string deadline_exceeded;
};

/// A Deployment or StatefulSet, as far as the rollout gate, the Job
/// builder and the rollout watch look at it. Read once per reconcile
/// (read_workload).
struct Workload {
  std::string kind;  ///< "Deployment" or "StatefulSet"
  std::string name;
  std::string resource_version;
  std::optional<GateRecord> gate;  ///< when kGateAnnotation holds it
  /// spec.updateStrategy.type (a StatefulSet's); "" when unset.
  std::string update_strategy;
  /// spec.paused and spec.updateStrategy.rollingUpdate.partition as found
  /// (null when unset): what holding replaces, kept verbatim for the release.
  kube::Json paused;
  kube::Json partition;
  /// imagePullPolicy of the pod template's first container; "" when unset.
  std::string pull_policy;
  std::string uid;
  /// spec.selector as a label selector query ("app=shop,tier in (a,b)");
  /// "" when it has none.
  std::string selector;
  /// A short hash of spec.template: the version it rolls out. A rollout
  /// whose hash changes after the release was rolled back or replaced.
  std::string template_hash;
  RolloutStatus rollout;

  /// "Kind/name", as status.rolloutTarget and the messages name it.
  std::string text() const { return kind + "/" + name; }
};

/// A pod a workload's selector matches, as a rollout watch sees it.
struct PodView {
  std::string owner_kind;  ///< of its controller ownerReference; "" without one
  std::string owner_uid;
  std::string template_hash;  ///< label pod-template-hash (a ReplicaSet's pods)
  std::string revision;       ///< label controller-revision-hash (a StatefulSet's pods)
  bool terminating = false;   ///< metadata.deletionTimestamp is set
};

/// A migration Job: its name and where it is.
struct JobView {
  std::string name;
  JobProgress progress;
};

/// A Secret's key names; its values are never kept.
struct SecretView {
  std::vector<std::string> keys;

  bool has_key(const std::string& key) const;
};

Workload read_workload(const kube::Json& object);
JobView read_job(const kube::Json& object);
SecretView read_secret(const kube::Json& object);
PodView read_pod(const kube::Json& object);

}  // namespace schemagate::migrationjob
