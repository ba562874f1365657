#pragma once

#include "kube/resource.h"

namespace schemagate::migrationjob {

/// The kinds the MigrationJob controller reads and writes. deploy/rbac.yaml
/// grants exactly the verbs it uses on these, and a test compares the two.
inline const kube::ResourceRef kMigrationJobs{"schemagate.io", "v1alpha1", "migrationjobs", true};
inline const kube::ResourceRef kJobs{"batch", "v1", "jobs", true};
inline const kube::ResourceRef kPods{"", "v1", "pods", true};
inline const kube::ResourceRef kSecrets{"", "v1", "secrets", true};
inline const kube::ResourceRef kEvents{"", "v1", "events", true};
inline const kube::ResourceRef kDeployments{"apps", "v1", "deployments", true};
inline const kube::ResourceRef kStatefulSets{"apps", "v1", "statefulsets", true};

/// Keeps a MigrationJob until its rollout target is released.
inline constexpr const char* kFinalizer = "schemagate.io/rollout-gate";
/// On a held Deployment or StatefulSet: who holds it and what to restore.
inline constexpr const char* kGateAnnotation = "schemagate.io/rollout-gate";
/// On Jobs: the operator's informer lists only these.
inline constexpr const char* kManagedByLabel = "app.kubernetes.io/managed-by";
inline constexpr const char* kManagedByValue = "schemagate-operator";
inline constexpr const char* kGenerationAnnotation = "schemagate.io/generation";
/// On Jobs: which revisions the Job runs, "all", "expand" or "contract".
inline constexpr const char* kPhaseAnnotation = "schemagate.io/phase";
/// On the Secrets informer: Helm's release Secrets never hold a database URL
/// and are the large ones (a release's whole manifest, up to 1 MiB each), so
/// they are neither listed nor watched.
inline constexpr const char* kSecretsFieldSelector = "type!=helm.sh/release.v1";
/// The runner's container in the Job; its termination message is the report.
inline constexpr const char* kRunnerContainer = "migrate";

}  // namespace schemagate::migrationjob
