#pragma once

#include <cstdint>
#include <string>

namespace schemagate::migrationjob {

/// The CamelCase reasons a MigrationJob's kstatus conditions and Events
/// carry. Users match on them (kubectl wait, alerts, docs/operator-guide.md),
/// so they are a contract: change one only with the docs.
namespace reason {
// The spec cannot be acted on (Stalled).
inline constexpr const char* kInvalidSpec = "InvalidSpec";
inline constexpr const char* kUnsupportedTargetKind = "UnsupportedTargetKind";
// Before the Job runs.
inline constexpr const char* kWaitingForPreviousJob = "WaitingForPreviousJob";
inline constexpr const char* kSecretNotFound = "SecretNotFound";
inline constexpr const char* kSecretKeyNotFound = "SecretKeyNotFound";
inline constexpr const char* kJobPending = "JobPending";
inline constexpr const char* kJobRunning = "JobRunning";
// How the Job ended: the runner's error kinds, else the Job's own reason.
inline constexpr const char* kSucceeded = "Succeeded";
inline constexpr const char* kMigrationFailed = "MigrationFailed";
inline constexpr const char* kInvalidMigrations = "InvalidMigrations";
inline constexpr const char* kDatabaseUnreachable = "DatabaseUnreachable";
inline constexpr const char* kLockTimeout = "LockTimeout";
inline constexpr const char* kStateRefused = "StateRefused";
inline constexpr const char* kDeadlineExceeded = "DeadlineExceeded";  ///< the Job controller's
inline constexpr const char* kJobFailed = "JobFailed";  ///< a failed Job that gave no reason
// Split around a rollout (spec.phases auto): the rollout is watched
// (Reconciling), or it failed or changed before it completed (Stalled).
inline constexpr const char* kRollingOut = "RollingOut";
inline constexpr const char* kRolloutFailed = "RolloutFailed";
inline constexpr const char* kRolloutChanged = "RolloutChanged";
// Events only.
inline constexpr const char* kStarted = "Started";
inline constexpr const char* kFailed = "Failed";
inline constexpr const char* kRolloutHeld = "RolloutHeld";
inline constexpr const char* kRolloutReleased = "RolloutReleased";
inline constexpr const char* kExpanded = "Expanded";
inline constexpr const char* kRolloutComplete = "RolloutComplete";
inline constexpr const char* kContracting = "Contracting";
}  // namespace reason

/// core/v1 Event types.
inline constexpr const char* kNormalEvent = "Normal";
inline constexpr const char* kWarningEvent = "Warning";

/// The texts of status.message and of Events, for people: what is going on
/// and, when a person must act, what to do. (A failed Job's advice is
/// failure_advice.h's; a spec problem's text names its field where it is
/// found, in migration_job.cpp.)
namespace message {
std::string waiting_for_previous_job(const std::string& job);
/// `secret` is "namespace/name".
std::string secret_not_found(const std::string& secret, const std::string& key);
std::string secret_key_not_found(const std::string& secret, const std::string& key);
std::string job_pending(const std::string& job);
std::string job_running(const std::string& job, const std::string& target, int64_t attempt,
                        int64_t attempts_allowed);
/// `revision` is where the database is now, else the spec's target.
std::string job_succeeded(const std::string& job, const std::string& revision);
std::string job_started(const std::string& job, const std::string& target, int64_t generation);
/// About the rollout gate; `workload` is "Kind/name".
std::string workload_not_found(const std::string& workload);
/// `owner` is "namespace/name" of the holder, "" for an annotation of unknown origin.
std::string workload_held_by(const std::string& workload, const std::string& owner);
std::string workload_stays_held(const std::string& workload);
std::string holding(const std::string& workload, int64_t generation);
std::string released(const std::string& workload);
/// Split around a rollout; `revisions` are the contract revisions ("c3,d4").
std::string expanded(const std::string& job, const std::string& revision,
                     const std::string& workload, const std::string& revisions);
std::string rolling_out(const std::string& workload, const std::string& progress,
                        const std::string& revisions);
std::string rollout_complete(const std::string& workload, const std::string& progress);
/// `what` went wrong with the rollout; the message says what to do.
std::string rollout_stalled(const std::string& what, const std::string& workload,
                            const std::string& revisions);
std::string rollout_failed(const std::string& workload, const std::string& why);
std::string rollout_changed(const std::string& workload);
std::string contract_started(const std::string& job, const std::string& revisions,
                             int64_t generation);
std::string contract_running(const std::string& job, const std::string& revisions,
                             int64_t attempt, int64_t attempts_allowed);
}  // namespace message

}  // namespace schemagate::migrationjob
