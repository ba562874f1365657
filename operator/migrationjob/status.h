#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "migrationjob/phase.h"

namespace schemagate::migrationjob {

/// One kstatus condition (Ready, Reconciling or Stalled).
struct Condition {
  std::string type;
  std::string status;  ///< "True", "False" (or "Unknown", as read)
  std::string reason;
  std::string message;
  int64_t observed_generation = 0;
  std::string last_transition_time;

  bool operator==(const Condition& other) const;
};

/// What a run split around a rollout (spec.phases auto) records: the two
/// Jobs, the contract revisions the expand Job left pending ("c1,d2"), and
/// the hash of the pod template it released (rollout_progress.h). Empty
/// outside a split, and until the expand Job has finished.
struct SplitStatus {
  std::string expand_job_name;
  std::string contract_job_name;
  std::string contract_revisions;
  std::string rollout_template_hash;

  /// The expand Job left contract revisions and released the rollout.
  bool released() const { return !rollout_template_hash.empty(); }
  bool operator==(const SplitStatus& other) const;
};

/// status of a MigrationJob, field for field as the CRD has it.
struct MigrationJobStatus {
  int64_t observed_generation = 0;
  std::optional<Phase> phase;  ///< nullopt before the operator wrote one
  std::vector<Condition> conditions;
  std::string message;
  std::string job_name;
  std::string start_time;
  std::string completion_time;
  int64_t attempts = 0;
  std::string applied_revision;  ///< "a1,b2" for several heads
  /// "Kind/name" of the workload whose gate this MigrationJob manages.
  std::string rollout_target;
  SplitStatus split;

  /// The condition of `type`; nullptr when there is none.
  const Condition* condition(const std::string& type) const;

  bool operator==(const MigrationJobStatus& other) const;
  bool operator!=(const MigrationJobStatus& other) const { return !(*this == other); }
};

/// The kstatus verdict, from which the three conditions follow:
/// progressing: Ready=False, Reconciling=True, Stalled=False;
/// succeeded:   Ready=True,  Reconciling=False, Stalled=False;
/// stalled:     Ready=False, Reconciling=False, Stalled=True (needs a person).
enum class Verdict { kProgressing, kSucceeded, kStalled };

/// The status a reconcile wants for the observed generation.
struct DesiredStatus {
  Phase phase = Phase::kPending;
  Verdict verdict = Verdict::kProgressing;
  std::string reason;   ///< CamelCase (reasons.h), on every condition
  std::string message;  ///< for people; also status.message
  std::string job_name;
  std::string start_time;
  std::string completion_time;
  int64_t attempts = 0;
  /// Where the database is, when this reconcile learnt it; empty keeps the
  /// previous appliedRevision (it describes the database, not a generation).
  std::vector<std::string> applied_revisions;
  /// "Kind/name" of the workload this MigrationJob manages the gate of;
  /// remembered so that a changed or removed targetRef releases the old one.
  std::string rollout_target;
  SplitStatus split;
};

/// The status for `desired` at `generation`. Conditions keep their
/// lastTransitionTime from `old_status` while their status stays the same,
/// so an unchanged world renders an identical status (and nothing is
/// written). `now` is an RFC 3339 time.
MigrationJobStatus render_status(const DesiredStatus& desired, int64_t generation,
                                 const MigrationJobStatus& old_status, const std::string& now);

/// status.appliedRevision of several heads: "a1,b2".
std::string revision_text(const std::vector<std::string>& revisions);

}  // namespace schemagate::migrationjob
