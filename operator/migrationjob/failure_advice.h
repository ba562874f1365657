#pragma once

#include <optional>
#include <string>

#include "migrationjob/job_progress.h"
#include "migrationjob/migration_job.h"

namespace schemagate::migrationjob {

/// What a failed migration Job means and what a person should run about it:
/// the condition reason and the whole message of a Failed MigrationJob.
struct FailureAdvice {
  std::string reason;   ///< MigrationFailed, InvalidMigrations, DatabaseUnreachable,
                        ///< LockTimeout, StateRefused; else the Job's own reason
  std::string message;  ///< what failed, then the fix
};

/// Chooses the fix from the runner's report (its error kind and exit code,
/// README "Exit codes"), else from the Job's Failed condition:
/// - a migration's SQL failed, or the files are invalid: fix the file, build
///   a new image and re-apply with it;
/// - the database refused the state: `schemagate repair` and/or `schemagate
///   stamp REV`, as the runner's error names them, in a one-off pod of the
///   image with the same Secret, then run again;
/// - unreachable, lock timeout, deadline: what to check, then run again.
/// "Run again" is a spec change, which makes a new generation and so a new
/// Job; the message gives the kubectl command.
FailureAdvice failure_advice(const MigrationJob& object, const MigrationJobSpec& spec,
                             const std::string& job_name, const JobProgress& progress,
                             const std::optional<RunnerReport>& report);

}  // namespace schemagate::migrationjob
