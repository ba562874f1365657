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

/// A Deployment or StatefulSet, as far as the rollout gate and the Job
/// builder look at it. Read once per reconcile (read_workload).
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

  /// "Kind/name", as status.rolloutTarget and the messages name it.
  std::string text() const { return kind + "/" + name; }
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

}  // namespace schemagate::migrationjob
