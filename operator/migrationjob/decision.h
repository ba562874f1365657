#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "migrationjob/job_progress.h"
#include "migrationjob/migration_job.h"
#include "migrationjob/status.h"
#include "migrationjob/views.h"

namespace schemagate::migrationjob {

/// What the reconciler found in the world for one MigrationJob. Lookups it
/// did not need are left empty (see MigrationReconciler).
struct Observed {
  MigrationJob object;
  enum class Secret { kNotChecked, kPresent, kMissing, kMissingKey };
  Secret secret = Secret::kNotChecked;
  std::optional<JobView> job;  ///< this generation's Job (the expand Job, when split)
  std::optional<JobView> contract_job;  ///< split: this generation's contract Job
  /// An earlier generation's Job that has not finished: the next one waits
  /// for it, so two runners never race for the same database.
  std::string unfinished_previous_job;
  std::optional<RunnerReport> report;     ///< from the finished Job's pod
  std::optional<Workload> target;         ///< spec.rollout.targetRef, when it exists
  std::optional<Workload> former_target;  ///< status.rolloutTarget, when no longer the spec's
  /// The pods `target`'s selector matches; listed only while its rollout
  /// is watched, between the expand and the contract Job.
  std::vector<PodView> target_pods;
};

struct EventSpec {
  std::string type;  ///< Normal or Warning
  std::string reason;
  std::string message;
};

/// A change to a Deployment or StatefulSet, as a JSON merge patch.
struct TargetPatch {
  std::string kind;
  std::string name;
  Json patch;
  bool hold = false;  ///< holds the workload; else releases it
};

/// A migration Job whose outcome this decision records for the first time.
struct FinishedRun {
  std::string outcome;  ///< "succeeded" or "failed"
  double seconds = 0;   ///< from the Job's startTime to its completion
};

/// What to do, in order: finalizer, Job, target patches, events, status,
/// finalizer removal. Events go before the status they describe: should the
/// process die in between, the next reconcile sends them again, and their
/// deterministic names turn the repeat into a no-op.
struct Decision {
  bool add_finalizer = false;
  bool remove_finalizer = false;
  std::optional<Json> create_job;
  std::vector<TargetPatch> target_patches;
  std::optional<DesiredStatus> status;  ///< nullopt while deleting
  std::vector<EventSpec> events;
  std::optional<std::chrono::seconds> requeue_after;
  /// "Kind/name" of the workload this MigrationJob holds once the decision
  /// is applied (held now, or already held by it); for metrics.
  std::optional<std::string> holding;
  /// For metrics: set once per Job, when its outcome is first recorded.
  std::optional<FinishedRun> finished;
};

/// The level-based core of the controller: from what is, what should be.
/// Pure, so every branch is unit tested without a server.
Decision decide(const Observed& observed);

/// Whether status already records the outcome of this generation's Job
/// `job_name` (Succeeded or Failed): then it never runs again, even when the
/// Job is gone (its TTL, or deleted by hand).
bool outcome_recorded(const MigrationJob& object, const std::string& job_name);

/// Whether status records that this generation's expand Job left contract
/// revisions pending and released the rollout: from then on the rollout is
/// watched (RollingOut) and the contract Job runs (Contracting).
bool expanded_for_rollout(const MigrationJob& object);

/// How often a rollout is looked at while it is watched: the operator
/// watches no workloads, so it asks again.
inline constexpr std::chrono::seconds kRolloutRecheck{3};

/// "Kind/name", as status.rolloutTarget keeps it.
std::string target_text(const TargetRef& target);

}  // namespace schemagate::migrationjob
