#include "migrationjob/reasons.h"

namespace schemagate::migrationjob::message {

std::string waiting_for_previous_job(const std::string& job) {
  return "waiting for Job " + job + " of an earlier generation to finish";
}

std::string secret_not_found(const std::string& secret, const std::string& key) {
  return "Secret " + secret +
         " (spec.database.urlSecretRef) not found; create it with the database URL under key '" +
         key + "'";
}

std::string secret_key_not_found(const std::string& secret, const std::string& key) {
  return "Secret " + secret + " has no key '" + key +
         "' (spec.database.urlSecretRef.key); add the database URL under it or name the key it "
         "is under";
}

std::string job_pending(const std::string& job) { return "Job " + job + " is waiting for its pod"; }

std::string job_running(const std::string& job, const std::string& target, int64_t attempt,
                        int64_t attempts_allowed) {
  return "Job " + job + " is upgrading to " + target + " (attempt " + std::to_string(attempt) +
         " of " + std::to_string(attempts_allowed) + ")";
}

std::string job_succeeded(const std::string& job, const std::string& revision) {
  return "Job " + job + " migrated the database to " + revision;
}

std::string job_started(const std::string& job, const std::string& target, int64_t generation) {
  return "Job " + job + " upgrades to " + target + " (generation " + std::to_string(generation) +
         ")";
}

std::string workload_not_found(const std::string& workload) {
  return workload + " not found, so nothing is held";
}

std::string workload_held_by(const std::string& workload, const std::string& owner) {
  return workload + " is already held by " +
         (owner.empty() ? "an annotation schemagate did not write" : owner);
}

std::string workload_stays_held(const std::string& workload) { return workload + " stays held"; }

std::string holding(const std::string& workload, int64_t generation) {
  return "holding " + workload + " until generation " + std::to_string(generation) +
         " is migrated";
}

std::string released(const std::string& workload) { return "released " + workload; }

std::string expanded(const std::string& job, const std::string& revision,
                     const std::string& workload, const std::string& revisions) {
  return "Job " + job + " expanded the database to " + revision + "; releasing " + workload +
         ", contract revisions " + revisions + " wait for its rollout";
}

std::string rolling_out(const std::string& workload, const std::string& progress,
                        const std::string& revisions) {
  return "rolling out " + workload + ": " + progress + "; contract revisions " + revisions +
         " wait for it";
}

std::string rollout_complete(const std::string& workload, const std::string& progress) {
  return workload + " rolled out (" + progress + ")";
}

std::string rollout_stalled(const std::string& what, const std::string& workload,
                            const std::string& revisions) {
  return what + "; the expand revisions stay applied and contract revisions " + revisions +
         " are not: fix or roll back " + workload +
         ", then change this MigrationJob's spec to expand, roll out and contract again";
}

std::string rollout_failed(const std::string& workload, const std::string& why) {
  return "the rollout of " + workload + " failed: " + why;
}

std::string rollout_changed(const std::string& workload) {
  return "the pod template of " + workload +
         " changed during its rollout (rolled back or replaced)";
}

std::string contract_started(const std::string& job, const std::string& revisions,
                             int64_t generation) {
  return "Job " + job + " applies contract revisions " + revisions + " (generation " +
         std::to_string(generation) + ")";
}

std::string contract_running(const std::string& job, const std::string& revisions,
                             int64_t attempt, int64_t attempts_allowed) {
  return "Job " + job + " is applying contract revisions " + revisions + " (attempt " +
         std::to_string(attempt) + " of " + std::to_string(attempts_allowed) + ")";
}

}  // namespace schemagate::migrationjob::message
