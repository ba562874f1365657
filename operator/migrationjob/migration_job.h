#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kube/object.h"
#include "migrationjob/status.h"
#include "schemagate/common/result.h"

namespace schemagate::migrationjob {

using kube::Json;

struct SecretKeyRef {
  std::string name;
  std::string key;
};

struct TargetRef {
  std::string kind;  ///< "Deployment" or "StatefulSet"
  std::string name;
};

/// spec.podTemplate: what a cluster asks of the Job's pod. The Kubernetes
/// types (affinity, volumes, ...) pass through untouched; null when absent.
struct PodTemplate {
  Json labels;
  Json annotations;
  Json affinity;
  Json node_selector;
  Json tolerations;
  std::string priority_class_name;
  Json security_context;
  Json volumes;
  Json image_pull_secrets;
  std::string service_account_name;
};

/// spec.container: additions to the runner's container.
struct ContainerTemplate {
  std::vector<std::string> args;  ///< after the runner's own arguments
  Json env;
  Json env_from;
  Json volume_mounts;
  Json resources;
  Json security_context;
  std::string image_pull_policy;  ///< "" when unset
};

/// spec.phases: whether a gated MigrationJob splits its revisions around
/// the rollout (auto) or runs them all in one Job before it (all).
enum class Phases { kAuto, kAll };

/// spec of a MigrationJob (DESIGN §5), with the CRD's defaults applied.
/// The pod-level fields pass through untouched (null when absent); the
/// spec-level ones predate podTemplate and container and still work.
struct MigrationJobSpec {
  std::string image;
  std::string migrations_dir = "/migrations";
  std::string target = "heads";
  /// spec.safetyChecks: the runner's `upgrade --safety-checks` (lint first,
  /// then wait for sessions holding a table a statement locks strongly).
  bool safety_checks = false;
  Phases phases = Phases::kAuto;
  SecretKeyRef database_url;
  std::optional<TargetRef> rollout_target;
  int64_t backoff_limit = 2;
  int64_t active_deadline_seconds = 900;
  std::string service_account_name;
  Json resources;
  Json node_selector;
  Json tolerations;
  Json image_pull_secrets;
  PodTemplate pod;
  ContainerTemplate container;
};

/// A spec the operator cannot act on. `field` is the JSON path
/// ("spec.rollout.targetRef.kind"); `reason` is the condition reason
/// (reasons.h).
struct SpecProblem {
  std::string reason;
  std::string field;
  std::string message;
};

/// What the reconciler needs of the object besides its spec.
struct MigrationJob {
  std::string ns;
  std::string name;
  std::string uid;
  int64_t generation = 0;
  bool deleting = false;  ///< metadata.deletionTimestamp is set
  bool has_finalizer = false;
  MigrationJobStatus status;  ///< as read; empty when absent
  BasicResult<MigrationJobSpec, SpecProblem> spec = SpecProblem{};

  std::string key() const { return ns + "/" + name; }
};

/// Reads a MigrationJob as the API server returned it. Never fails: a spec
/// the operator cannot use is kept as a SpecProblem in `spec`, which ends in
/// Stalled=True rather than in a retry loop.
MigrationJob read_migration_job(const Json& object);

}  // namespace schemagate::migrationjob
