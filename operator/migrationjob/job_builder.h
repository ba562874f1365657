#pragma once

#include <optional>
#include <string>

#include "migrationjob/migration_job.h"
#include "migrationjob/views.h"

namespace schemagate::migrationjob {

/// Where the Job's pod mounts the database URL Secret key (as the file "url").
inline constexpr const char* kUrlDirectory = "/var/run/schemagate/database";

/// The Job name of one generation: "<name>-<generation>-<hash>", where the
/// hash is of the object's uid and generation, so a MigrationJob deleted and
/// created again under the same name never meets its predecessor's Job. At
/// most 63 characters (the Job name becomes a pod label value); a long name
/// is shortened, never the generation or hash.
std::string job_name(const std::string& name, const std::string& uid, int64_t generation);

/// Why the operator sets the runner option `arg` names ("--termination-log"
/// or "--termination-log=x"), or "" when spec.container.args may pass it.
/// The options the operator only defaults (--dir, --log-format,
/// --wait-for-db, --lock-timeout) are the user's to set: then the Job
/// leaves the operator's value out.
std::string runner_owns_option(const std::string& arg);

/// The imagePullPolicy of the first container of a Deployment's or
/// StatefulSet's pod template; "" when there is none.
std::string workload_pull_policy(const std::optional<Workload>& workload);

/// The batch/v1 Job that runs `schemagate upgrade` for `job`'s current
/// generation, owned by it (ownerReferences, controller). The database URL
/// comes from the Secret as a mounted file, never an environment variable;
/// the pod runs as non-root with a read-only root file system by default;
/// the runner writes its outcome to the termination message, which is how
/// status.appliedRevision gets back to the operator.
///
/// spec.podTemplate and spec.container shape the pod, as Kubernetes merges
/// such things: maps merge (nodeSelector, labels; the newer field wins a
/// key), lists append (tolerations, imagePullSecrets by name, volumes,
/// volumeMounts, env), single values replace (serviceAccountName,
/// resources), securityContexts are merge patches over the defaults (a
/// pod securityContext of the spec's own drops the fixed uid, gid and
/// fsGroup 65532, keeping runAsNonRoot and RuntimeDefault seccomp). What
/// the operator relies on always wins: the command and target, the URL file
/// and its volume and mount, the termination log, restartPolicy Never, its
/// own labels and the owner. The image pull policy is spec.container's, else
/// `inherited_pull_policy` (the gated workload's), else Kubernetes' default.
Json build_job(const MigrationJob& job, const MigrationJobSpec& spec,
               const std::string& inherited_pull_policy);

}  // namespace schemagate::migrationjob
