#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kube/object.h"

namespace schemagate::migration {

using kube::Json;

/// The kstatus verdict, from which the three conditions follow:
/// progressing: Ready=False, Reconciling=True, Stalled=False;
/// succeeded:   Ready=True,  Reconciling=False, Stalled=False;
/// stalled:     Ready=False, Reconciling=False, Stalled=True (needs a person).
enum class Verdict { kProgressing, kSucceeded, kStalled };

/// The status a reconcile wants for the observed generation.
struct DesiredStatus {
  /// Pending, Running, Succeeded or Failed; split around a rollout,
  /// Expanding, RollingOut and Contracting instead of Running.
  std::string phase;
  Verdict verdict = Verdict::kProgressing;
  std::string reason;   ///< CamelCase, on every condition
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
  /// Split around a rollout (spec.phases auto): the two Jobs, the contract
  /// revisions the expand Job left pending ("c1,d2"), and the hash of the
  /// pod template released (rollout_progress.h's template_hash).
  std::string expand_job_name;
  std::string contract_job_name;
  std::string contract_revisions;
  std::string rollout_template_hash;
};

/// The status object for `desired` at `generation`. Conditions keep their
/// lastTransitionTime from `old_status` while their status stays the same,
/// so an unchanged world renders an identical status (and nothing is
/// written). `now` is an RFC 3339 time.
Json render_status(const DesiredStatus& desired, int64_t generation, const Json& old_status,
                   const std::string& now);

/// status.appliedRevision of several heads: "a1,b2".
std::string revision_text(const std::vector<std::string>& revisions);

}  // namespace schemagate::migration
