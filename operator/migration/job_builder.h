#pragma once

#include <string>

#include "migration/migration_job.h"

namespace schemagate::migration {

/// Where the Job's pod mounts the database URL Secret key (as the file "url").
inline constexpr const char* kUrlDirectory = "/var/run/schemagate/database";

/// The Job name of one generation: "<name>-<generation>-<hash>", where the
/// hash is of the object's uid and generation, so a MigrationJob deleted and
/// created again under the same name never meets its predecessor's Job. At
/// most 63 characters (the Job name becomes a pod label value); a long name
/// is shortened, never the generation or hash.
std::string job_name(const std::string& name, const std::string& uid, int64_t generation);

/// The batch/v1 Job that runs `schemagate upgrade` for `job`'s current
/// generation, owned by it (ownerReferences, controller). The database URL
/// comes from the Secret as a mounted file, never an environment variable;
/// the pod runs as non-root with a read-only root file system; the runner
/// writes its outcome to the termination message, which is how
/// status.appliedRevision gets back to the operator.
Json build_job(const MigrationJob& job, const MigrationJobSpec& spec);

}  // namespace schemagate::migration
