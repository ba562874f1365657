#include "migration/decision.h"

#include "kube/json_path.h"
#include "kube/time_format.h"
#include "migration/failure_advice.h"
#include "migration/job_builder.h"
#include "migration/rollout_gate.h"
#include "migration/rollout_progress.h"

namespace schemagate::migration {
namespace {

using kube::find_path;
using kube::string_at;

// A missing Secret, or a stalled rollout, is not watched: look again after this long.
constexpr std::chrono::seconds kSecretRecheck{30};

std::string old_condition_reason(const Json& status, const std::string& type) {
  if (const Json* conditions = find_path(status, {"conditions"});
      conditions && conditions->is_array()) {
    for (const Json& condition : conditions->as_array()) {
      if (string_at(condition, {"type"}) == type) return string_at(condition, {"reason"});
    }
  }
  return "";
}

std::string describe(const Json& target) {
  return string_at(target, {"kind"}) + "/" + kube::name_of(target);
}

class Decider {
 public:
  explicit Decider(const Observed& observed)
      : observed_(observed), object_(observed.object), owner_(observed.object.key()),
        same_generation_(object_.observed_generation() == object_.generation) {}

  Decision run() {
    if (object_.deleting) {
      // The finalizer is there so that a held workload is not orphaned.
      if (observed_.target) release(*observed_.target);
      if (observed_.former_target) release(*observed_.former_target);
      decision_.remove_finalizer = object_.has_finalizer;
      return decision_;
    }
    if (observed_.former_target) release(*observed_.former_target);
    if (!object_.spec) {
      const SpecProblem& problem = object_.spec.error();
      DesiredStatus status = stalled("Pending", problem.reason, problem.message);
      // Unreadable spec: the target cannot be named, so keep remembering the old one.
      status.rollout_target = object_.status_text("rolloutTarget");
      finish(status);
      return decision_;
    }
    const MigrationJobSpec& spec = *object_.spec;
    if (spec.rollout_target && !object_.has_finalizer) decision_.add_finalizer = true;
    if (!spec.rollout_target && object_.has_finalizer) decision_.remove_finalizer = true;

    DesiredStatus status = progress(spec);
    if (spec.rollout_target) {
      status.rollout_target = target_text(*spec.rollout_target);
      gate(spec, status);
    }
    finish(status);
    return decision_;
  }

 private:
  DesiredStatus progress(const MigrationJobSpec& spec) {
    const std::string name = job_name(object_.name, object_.uid, object_.generation);
    const std::string contract = job_name(object_.name, object_.uid, object_.generation,
                                          JobPhase::kContract);
    // A finished Job does not change again, and its pod's report is read
    // once: what status recorded stands.
    if (outcome_recorded(object_, name) || outcome_recorded(object_, contract)) return recorded();
    if (!splits_phases(spec)) {
      if (observed_.job) return from_job(spec, name, read_job_progress(*observed_.job));
      return first_job(spec, JobPhase::kAll);
    }
    if (observed_.contract_job) {
      return from_contract_job(spec, contract, read_job_progress(*observed_.contract_job));
    }
    if (expanded_for_rollout(object_)) return watch_rollout(spec, contract);
    if (observed_.job) return from_job(spec, name, read_job_progress(*observed_.job));
    return first_job(spec, JobPhase::kExpand);
  }

  // No Job of this generation yet: wait for an earlier one, check the
  // Secret, then make the first.
  DesiredStatus first_job(const MigrationJobSpec& spec, JobPhase phase) {
    const std::string name = job_name(object_.name, object_.uid, object_.generation);
    if (!observed_.unfinished_previous_job.empty()) {
      DesiredStatus status = progressing("Pending", "WaitingForPreviousJob",
                                         "waiting for Job " + observed_.unfinished_previous_job +
                                             " of an earlier generation to finish");
      status.job_name = observed_.unfinished_previous_job;
      return status;
    }
    if (std::optional<DesiredStatus> problem = secret_problem(spec, "Pending")) return *problem;
    decision_.create_job = build_job(object_, spec, workload_pull_policy(observed_.target), phase);
    // Said as the Job will be seen once the cache has it, so that sight
    // changes nothing and costs no second write.
    return from_job(spec, name, JobProgress{});
  }

  // A Job's pod cannot start without the URL Secret: say so instead.
  std::optional<DesiredStatus> secret_problem(const MigrationJobSpec& spec, const std::string& phase) {
    const SecretKeyRef& secret = spec.database_url;
    if (observed_.secret == Observed::Secret::kMissing) {
      decision_.requeue_after = kSecretRecheck;
      return stalled(phase, "SecretNotFound",
                     "Secret " + object_.ns + "/" + secret.name +
                         " (spec.database.urlSecretRef) not found; create it with the database "
                         "URL under key '" + secret.key + "'");
    }
    if (observed_.secret == Observed::Secret::kMissingKey) {
      decision_.requeue_after = kSecretRecheck;
      return stalled(phase, "SecretKeyNotFound",
                     "Secret " + object_.ns + "/" + secret.name + " has no key '" + secret.key +
                         "' (spec.database.urlSecretRef.key); add the database URL under it or "
                         "name the key it is under");
    }
    return std::nullopt;
  }

  // Split: the expand Job left contract revisions pending and the rollout
  // was released. Contract once it is complete, never when it failed or
  // is no longer the rollout that was released.
  DesiredStatus watch_rollout(const MigrationJobSpec& spec, const std::string& contract) {
    DesiredStatus status = expanded_status();
    const std::string workload = target_text(*spec.rollout_target);
    const std::string pending = "contract revisions " + status.contract_revisions;
    auto stall = [&](const char* reason, const std::string& what) {
      // Level-based: a Deployment that recovers from its deadline goes on.
      decision_.requeue_after = kSecretRecheck;
      DesiredStatus stalled_status = stalled("RollingOut", reason,
          what + "; the expand revisions stay applied and " + pending +
              " are not: fix or roll back " + workload +
              ", then change this MigrationJob's spec to expand, roll out and contract again");
      copy_expanded(status, stalled_status);
      return stalled_status;
    };
    // Contracting already: the rollout was complete when the contract Job
    // was made; the cache has not seen it yet.
    if (object_.status_text("phase") != "Contracting") {
      if (!observed_.target) return stall("RolloutFailed", workload + " not found");
      if (template_hash(*observed_.target) != status.rollout_template_hash) {
        return stall("RolloutChanged", "the pod template of " + workload +
                                           " changed during its rollout (rolled back or replaced)");
      }
      RolloutProgress rollout = read_rollout_progress(*observed_.target, observed_.target_pods);
      if (rollout.state == RolloutProgress::State::kFailed) {
        return stall("RolloutFailed", "the rollout of " + workload + " failed: " + rollout.message);
      }
      if (rollout.state == RolloutProgress::State::kProgressing) {
        decision_.requeue_after = kRolloutRecheck;
        status.message = "rolling out " + workload + ": " + rollout.message + "; " + pending +
                         " wait for it";
        return status;
      }
      decision_.events.push_back({"Normal", "RolloutComplete",
                                  workload + " rolled out (" + rollout.message + ")"});
    }
    if (std::optional<DesiredStatus> problem = secret_problem(spec, "Contracting")) {
      copy_expanded(status, *problem);
      return *problem;
    }
    decision_.create_job = build_job(object_, spec, workload_pull_policy(observed_.target),
                                     JobPhase::kContract);
    return from_contract_job(spec, contract, JobProgress{});
  }

  // RollingOut, with what the expand Job recorded.
  DesiredStatus expanded_status() {
    DesiredStatus status = progressing("RollingOut", "RollingOut", "");
    status.expand_job_name = object_.status_text("expandJobName");
    status.contract_revisions = object_.status_text("contractRevisions");
    status.rollout_template_hash = object_.status_text("rolloutTemplateHash");
    status.job_name = object_.status_text("jobName");
    status.start_time = object_.status_text("startTime");
    status.completion_time = object_.status_text("completionTime");
    status.attempts = kube::integer_at(object_.status, {"attempts"}).value_or(0);
    return status;
  }

  static void copy_expanded(const DesiredStatus& from, DesiredStatus& to) {
    to.expand_job_name = from.expand_job_name;
    to.contract_revisions = from.contract_revisions;
    to.rollout_template_hash = from.rollout_template_hash;
    if (to.job_name.empty()) {
      to.job_name = from.job_name;
      to.start_time = from.start_time;
      to.completion_time = from.completion_time;
      to.attempts = from.attempts;
    }
  }

  DesiredStatus from_contract_job(const MigrationJobSpec& spec, const std::string& name,
                                  const JobProgress& progress) {
    DesiredStatus status = from_job(spec, name, progress);
    copy_expanded(expanded_status(), status);
    status.contract_job_name = name;
    if (!progress.finished()) {
      status.phase = "Contracting";
      if (progress.state == JobProgress::State::kRunning) {
        status.message = "Job " + name + " is applying contract revisions " +
                         status.contract_revisions + " (attempt " +
                         std::to_string(progress.attempts) + " of " +
                         std::to_string(spec.backoff_limit + 1) + ")";
      }
    }
    return status;
  }

  DesiredStatus from_job(const MigrationJobSpec& spec, const std::string& name,
                         const JobProgress& progress) {
    const bool splits = splits_phases(spec);
    DesiredStatus status;
    switch (progress.state) {
      case JobProgress::State::kPending:
        status = progressing(splits ? "Expanding" : "Pending", "JobPending",
                             "Job " + name + " is waiting for its pod");
        break;
      case JobProgress::State::kRunning:
        status = progressing(splits ? "Expanding" : "Running", "JobRunning",
                             "Job " + name + " is upgrading to " + spec.target + " (attempt " +
                                 std::to_string(progress.attempts) + " of " +
                                 std::to_string(spec.backoff_limit + 1) + ")");
        break;
      case JobProgress::State::kSucceeded: {
        status.phase = "Succeeded";
        status.verdict = Verdict::kSucceeded;
        status.reason = "Succeeded";
        if (observed_.report && observed_.report->succeeded) {
          status.applied_revisions = observed_.report->revisions;
        }
        std::string revision = status.applied_revisions.empty()
                                   ? object_.status_text("appliedRevision")
                                   : revision_text(status.applied_revisions);
        status.message = "Job " + name + " migrated the database to " +
                         (revision.empty() ? spec.target : revision);
        if (splits) status.expand_job_name = name;
        if (splits && name == job_name(object_.name, object_.uid, object_.generation) &&
            observed_.report && observed_.report->contract_pending && observed_.target) {
          // The contract revisions wait for the rollout: release it and watch.
          status.phase = "RollingOut";
          status.verdict = Verdict::kProgressing;
          status.reason = "RollingOut";
          status.contract_revisions = revision_text(observed_.report->contract_revisions);
          if (status.contract_revisions.empty()) status.contract_revisions = "(not named)";
          status.rollout_template_hash = template_hash(*observed_.target);
          status.message = "Job " + name + " expanded the database to " +
                           (revision.empty() ? spec.target : revision) + "; releasing " +
                           target_text(*spec.rollout_target) + ", contract revisions " +
                           status.contract_revisions + " wait for its rollout";
          decision_.requeue_after = kRolloutRecheck;
        }
        break;
      }
      case JobProgress::State::kFailed: {
        FailureAdvice advice = failure_advice(object_, spec, name, progress, observed_.report);
        status = stalled("Failed", advice.reason, advice.message);
        break;
      }
    }
    status.job_name = name;
    status.attempts = progress.attempts;
    status.start_time = progress.start_time;
    status.completion_time = progress.completion_time;
    return status;
  }

  DesiredStatus recorded() {
    recorded_ = true;
    const Json& old = object_.status;
    DesiredStatus status;
    status.phase = object_.status_text("phase");
    status.verdict = status.phase == "Succeeded" ? Verdict::kSucceeded : Verdict::kStalled;
    status.reason = old_condition_reason(old, "Ready");
    status.message = object_.status_text("message");
    status.job_name = object_.status_text("jobName");
    status.start_time = object_.status_text("startTime");
    status.completion_time = object_.status_text("completionTime");
    status.attempts = kube::integer_at(old, {"attempts"}).value_or(0);
    status.expand_job_name = object_.status_text("expandJobName");
    status.contract_job_name = object_.status_text("contractJobName");
    status.contract_revisions = object_.status_text("contractRevisions");
    status.rollout_template_hash = object_.status_text("rolloutTemplateHash");
    return status;
  }

  // Notes about the gate go into the message, except when the message is
  // the recorded one, which has them already.
  void gate(const MigrationJobSpec& spec, DesiredStatus& status) {
    const TargetRef& ref = *spec.rollout_target;
    auto note = [&](const std::string& text) {
      if (!recorded_) status.message += "; " + text;
    };
    if (!observed_.target) {
      note(target_text(ref) + " not found, so nothing is held");
      return;
    }
    // Released once migrated, or once expanded for the rollout: never held again.
    if (status.phase == "Succeeded" || !status.rollout_template_hash.empty()) {
      release(*observed_.target);
      return;
    }
    if (std::optional<Json> patch = hold_patch(*observed_.target, owner_)) {
      decision_.target_patches.push_back({ref.kind, ref.name, *patch, true});
      decision_.holding = target_text(ref);
      decision_.events.push_back({"Normal", "RolloutHeld",
                                  "holding " + target_text(ref) + " until generation " +
                                      std::to_string(object_.generation) + " is migrated"});
    } else if (std::optional<GateRecord> record = read_gate(*observed_.target);
               record && record->owner != owner_) {
      note(target_text(ref) + " is already held by " +
           (record->owner.empty() ? "an annotation schemagate did not write" : record->owner));
    } else if (record) {
      decision_.holding = target_text(ref);
    }
    if (status.phase == "Failed") note(target_text(ref) + " stays held");
  }

  void release(const Json& target) {
    std::optional<Json> patch = release_patch(target, owner_);
    if (!patch) return;
    decision_.target_patches.push_back(
        {string_at(target, {"kind"}), kube::name_of(target), *patch, false});
    decision_.events.push_back({"Normal", "RolloutReleased", "released " + describe(target)});
  }

  // Events for changes of status; what stays the same is not repeated. They
  // follow from the status, not from what this reconcile did, so one lost
  // to a crash is sent by the next reconcile (names make repeats harmless).
  void finish(const DesiredStatus& status) {
    std::string old_phase = same_generation_ ? object_.status_text("phase") : "";
    std::string old_reason = same_generation_ ? old_condition_reason(object_.status, "Ready") : "";
    const std::string current = job_name(object_.name, object_.uid, object_.generation);
    if (status.job_name == current && object_.status_text("jobName") != current) {
      const MigrationJobSpec& spec = *object_.spec;
      decision_.events.push_back({"Normal", "Started",
                                  "Job " + current + " upgrades to " + spec.target +
                                      " (generation " + std::to_string(object_.generation) + ")"});
    }
    if (status.phase == "RollingOut" && status.verdict == Verdict::kProgressing &&
        old_phase != "RollingOut") {
      decision_.events.push_back({"Normal", "Expanded", status.message});
    }
    if (!status.contract_job_name.empty() && status.job_name == status.contract_job_name &&
        object_.status_text("jobName") != status.contract_job_name) {
      decision_.events.push_back({"Normal", "Contracting",
                                  "Job " + status.contract_job_name +
                                      " applies contract revisions " + status.contract_revisions +
                                      " (generation " + std::to_string(object_.generation) + ")"});
    }
    if ((status.phase == "Succeeded" || status.phase == "Failed") && old_phase != status.phase &&
        !recorded_) {
      decision_.finished = finished_run(status);
    }
    if (status.phase == "Succeeded" && old_phase != "Succeeded") {
      decision_.events.push_back({"Normal", "Succeeded", status.message});
    } else if (status.verdict == Verdict::kStalled &&
               (old_phase != status.phase || old_reason != status.reason)) {
      std::string reason = status.phase == "Failed" ? "Failed" : status.reason;
      decision_.events.push_back({"Warning", reason, status.message});
    }
    decision_.status = status;
  }

  static std::optional<FinishedRun> finished_run(const DesiredStatus& status) {
    auto start = kube::parse_time(status.start_time);
    auto end = kube::parse_time(status.completion_time);
    if (!start || !end || *end < *start) return std::nullopt;
    return FinishedRun{status.phase == "Succeeded" ? "succeeded" : "failed",
                       std::chrono::duration<double>(*end - *start).count()};
  }

  static DesiredStatus progressing(const std::string& phase, const std::string& reason,
                                   const std::string& message) {
    DesiredStatus status;
    status.phase = phase;
    status.verdict = Verdict::kProgressing;
    status.reason = reason;
    status.message = message;
    return status;
  }

  static DesiredStatus stalled(const std::string& phase, const std::string& reason,
                               const std::string& message) {
    DesiredStatus status = progressing(phase, reason, message);
    status.verdict = Verdict::kStalled;
    return status;
  }

  const Observed& observed_;
  const MigrationJob& object_;
  const std::string owner_;
  const bool same_generation_;
  bool recorded_ = false;
  Decision decision_;
};

}  // namespace

bool outcome_recorded(const MigrationJob& object, const std::string& job_name) {
  std::string phase = object.status_text("phase");
  return object.observed_generation() == object.generation &&
         object.status_text("jobName") == job_name && (phase == "Succeeded" || phase == "Failed");
}

bool expanded_for_rollout(const MigrationJob& object) {
  std::string phase = object.status_text("phase");
  return object.observed_generation() == object.generation &&
         object.status_text("expandJobName") ==
             job_name(object.name, object.uid, object.generation) &&
         !object.status_text("rolloutTemplateHash").empty() &&
         (phase == "RollingOut" || phase == "Contracting");
}

std::string target_text(const TargetRef& target) { return target.kind + "/" + target.name; }

Decision decide(const Observed& observed) { return Decider(observed).run(); }

}  // namespace schemagate::migration
