#pragma once

#include <optional>
#include <string>

#include "migrationjob/migration_job.h"
#include "migrationjob/views.h"

namespace schemagate::migrationjob {

/// Where the Job's pod mounts the database URL Secret key (as the file "url").
inline constexpr const char* kUrlDirectory = "/var/run/schemagate/database";

/// Which revisions a Job runs: all of them, or one half of a split
/// (docs/expand-contract.md), as the runner's `upgrade --phase`.
enum class JobPhase { kAll, kExpand, kContract };

/// The Job name of one generation: "<name>-<generation>-<hash>", where the
/// hash is of the object's uid and generation, so a MigrationJob deleted and
/// created again under the same name never meets its predecessor's Job. The
/// contract Job is "<name>-<generation>-contract-<hash>" (the expand Job has
/// the plain name: it is the generation's first Job either way). At most 63
/// characters (the Job name becomes a pod label value); a long name is
/// shortened, never the generation or hash.
std::string job_name(const std::string& name, const std::string& uid, int64_t generation,
                     JobPhase phase = JobPhase::kAll);

/// Whether `spec` splits its revisions around the rollout: phases auto, a
/// rollout target to wait for, and no `--phase` of the user's in
/// spec.container.args (theirs means one Job, run as they say).
bool splits_phases(const MigrationJobSpec& spec);

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
///
/// `phase` adds `--phase expand|contract` after the target and names the
/// Job for it (job_name); its annotation kPhaseAnnotation says which it is.
Json build_job(const MigrationJob& job, const MigrationJobSpec& spec,
               const std::string& inherited_pull_policy, JobPhase phase = JobPhase::kAll);

}  // namespace schemagate::migrationjob
