#include "migrationjob/decision.h"

#include "kube/time_format.h"
#include "migrationjob/failure_advice.h"
#include "migrationjob/job_builder.h"
#include "migrationjob/reasons.h"
#include "migrationjob/rollout_gate.h"
#include "migrationjob/rollout_progress.h"

namespace schemagate::migrationjob {
namespace {

// A stalled rollout is not watched: a Deployment may still complete it on its own.
constexpr std::chrono::seconds kStalledRolloutRecheck{30};

std::string ready_reason(const MigrationJobStatus& status) {
  const Condition* ready = status.condition("Ready");
  return ready ? ready->reason : "";
}

class Decider {
 public:
  explicit Decider(const Observed& observed)
      : observed_(observed), object_(observed.object), owner_(observed.object.key()),
        same_generation_(object_.status.observed_generation == object_.generation) {}

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
      DesiredStatus status = stalled(Phase::kPending, problem.reason, problem.message);
      // Unreadable spec: the target cannot be named, so keep remembering the old one.
      status.rollout_target = object_.status.rollout_target;
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
    const std::string contract =
        job_name(object_.name, object_.uid, object_.generation, JobPhase::kContract);
    // A finished Job does not change again, and its pod's report is read
    // once: what status recorded stands.
    if (outcome_recorded(object_, name) || outcome_recorded(object_, contract)) return recorded();
    if (!splits_phases(spec)) {
      if (observed_.job) return from_job(spec, name, observed_.job->progress);
      return first_job(spec, JobPhase::kAll);
    }
    if (observed_.contract_job) {
      return from_contract_job(spec, contract, observed_.contract_job->progress);
    }
    if (expanded_for_rollout(object_)) return watch_rollout(spec, contract);
    if (observed_.job) return from_job(spec, name, observed_.job->progress);
    return first_job(spec, JobPhase::kExpand);
  }

  // No Job of this generation yet: wait for an earlier one, check the
  // Secret, then make the first.
  DesiredStatus first_job(const MigrationJobSpec& spec, JobPhase phase) {
    const std::string name = job_name(object_.name, object_.uid, object_.generation);
    if (!observed_.unfinished_previous_job.empty()) {
      DesiredStatus status =
          progressing(Phase::kPending, reason::kWaitingForPreviousJob,
                      message::waiting_for_previous_job(observed_.unfinished_previous_job));
      status.job_name = observed_.unfinished_previous_job;
      return status;
    }
    if (std::optional<DesiredStatus> problem = secret_problem(spec, Phase::kPending)) {
      return *problem;
    }
    decision_.create_job = build_job(object_, spec, workload_pull_policy(observed_.target), phase);
    // Said as the Job will be seen once the cache has it, so that sight
    // changes nothing and costs no second write.
    return from_job(spec, name, JobProgress{});
  }

  // A Job's pod cannot start without the URL Secret: say so instead.
  std::optional<DesiredStatus> secret_problem(const MigrationJobSpec& spec, Phase phase) {
    const SecretKeyRef& secret = spec.database_url;
    const std::string secret_name = object_.ns + "/" + secret.name;
    // No recheck: the Secret's event brings the MigrationJob back (SecretReferences).
    if (observed_.secret == Observed::Secret::kMissing) {
      return stalled(phase, reason::kSecretNotFound,
                     message::secret_not_found(secret_name, secret.key));
    }
    if (observed_.secret == Observed::Secret::kMissingKey) {
      return stalled(phase, reason::kSecretKeyNotFound,
                     message::secret_key_not_found(secret_name, secret.key));
    }
    return std::nullopt;
  }

  // Split: the expand Job left contract revisions pending and the rollout
  // was released. Contract once it is complete, never when it failed or is
  // no longer the rollout that was released.
  DesiredStatus watch_rollout(const MigrationJobSpec& spec, const std::string& contract) {
    const std::string workload = target_text(*spec.rollout_target);
    const std::string& revisions = object_.status.split.contract_revisions;
    auto stall = [&](const char* reason, const std::string& what) {
      decision_.requeue_after = kStalledRolloutRecheck;
      return expanded(stalled(Phase::kRollingOut, reason,
                              message::rollout_stalled(what, workload, revisions)));
    };
    // Contracting already: the rollout was complete when the contract Job
    // was made, which the cache has not seen yet.
    if (object_.status.phase != Phase::kContracting) {
      if (!observed_.target) return stall(reason::kRolloutFailed, workload + " not found");
      if (observed_.target->template_hash != object_.status.split.rollout_template_hash) {
        return stall(reason::kRolloutChanged, message::rollout_changed(workload));
      }
      RolloutProgress rollout = read_rollout_progress(*observed_.target, observed_.target_pods);
      if (rollout.state == RolloutProgress::State::kFailed) {
        return stall(reason::kRolloutFailed, message::rollout_failed(workload, rollout.message));
      }
      if (rollout.state == RolloutProgress::State::kProgressing) {
        decision_.requeue_after = kRolloutRecheck;
        return expanded(progressing(Phase::kRollingOut, reason::kRollingOut,
                                    message::rolling_out(workload, rollout.message, revisions)));
      }
      decision_.events.push_back({kNormalEvent, reason::kRolloutComplete,
                                  message::rollout_complete(workload, rollout.message)});
    }
    if (std::optional<DesiredStatus> problem = secret_problem(spec, Phase::kContracting)) {
      return expanded(*problem);
    }
    decision_.create_job = build_job(object_, spec, workload_pull_policy(observed_.target),
                                     JobPhase::kContract);
    return from_contract_job(spec, contract, JobProgress{});
  }

  // `status` with what the expand Job recorded: its run and the split.
  DesiredStatus expanded(DesiredStatus status) const {
    const MigrationJobStatus& old = object_.status;
    status.split = old.split;
    if (status.job_name.empty()) {
      status.job_name = old.job_name;
      status.start_time = old.start_time;
      status.completion_time = old.completion_time;
      status.attempts = old.attempts;
    }
    return status;
  }

  DesiredStatus from_contract_job(const MigrationJobSpec& spec, const std::string& name,
                                  const JobProgress& progress) {
    DesiredStatus status = expanded(from_job(spec, name, progress));
    status.split.contract_job_name = name;
    if (!finished(status.phase)) status.phase = Phase::kContracting;
    if (progress.state == JobProgress::State::kRunning) {
      status.message = message::contract_running(name, status.split.contract_revisions,
                                                 progress.attempts, spec.backoff_limit + 1);
    }
    return status;
  }

  DesiredStatus from_job(const MigrationJobSpec& spec, const std::string& name,
                         const JobProgress& progress) {
    const bool splits = splits_phases(spec);
    DesiredStatus status;
    switch (progress.state) {
      case JobProgress::State::kPending:
        status = progressing(splits ? Phase::kExpanding : Phase::kPending, reason::kJobPending,
                             message::job_pending(name));
        break;
      case JobProgress::State::kRunning:
        status = progressing(
            splits ? Phase::kExpanding : Phase::kRunning, reason::kJobRunning,
            message::job_running(name, spec.target, progress.attempts, spec.backoff_limit + 1));
        break;
      case JobProgress::State::kSucceeded: {
        status.phase = Phase::kSucceeded;
        status.verdict = Verdict::kSucceeded;
        status.reason = reason::kSucceeded;
        if (observed_.report && observed_.report->succeeded) {
          status.applied_revisions = observed_.report->revisions;
        }
        std::string revision = status.applied_revisions.empty()
                                   ? object_.status.applied_revision
                                   : revision_text(status.applied_revisions);
        status.message = message::job_succeeded(name, revision.empty() ? spec.target : revision);
        if (splits && name == job_name(object_.name, object_.uid, object_.generation)) {
          status.split.expand_job_name = name;
          if (observed_.report && observed_.report->contract_pending && observed_.target) {
            released_for_rollout(spec, status, revision.empty() ? spec.target : revision);
          }
        }
        break;
      }
      case JobProgress::State::kFailed: {
        FailureAdvice advice = failure_advice(object_, spec, name, progress, observed_.report);
        status = stalled(Phase::kFailed, advice.reason, advice.message);
        break;
      }
    }
    status.job_name = name;
    status.attempts = progress.attempts;
    status.start_time = progress.start_time;
    status.completion_time = progress.completion_time;
    return status;
  }

  // The expand Job left contract revisions: they wait for the rollout,
  // which is released and watched, of the template there now.
  void released_for_rollout(const MigrationJobSpec& spec, DesiredStatus& status,
                            const std::string& revision) {
    SplitStatus& split = status.split;
    split.contract_revisions = revision_text(observed_.report->contract_revisions);
    if (split.contract_revisions.empty()) split.contract_revisions = "(not named)";
    split.rollout_template_hash = observed_.target->template_hash;
    status.phase = Phase::kRollingOut;
    status.verdict = Verdict::kProgressing;
    status.reason = reason::kRollingOut;
    status.message = message::expanded(split.expand_job_name, revision,
                                       target_text(*spec.rollout_target), split.contract_revisions);
    decision_.requeue_after = kRolloutRecheck;
  }

  DesiredStatus recorded() {
    recorded_ = true;
    const MigrationJobStatus& old = object_.status;
    DesiredStatus status;
    status.phase = old.phase.value_or(Phase::kPending);
    status.verdict = status.phase == Phase::kSucceeded ? Verdict::kSucceeded : Verdict::kStalled;
    status.reason = ready_reason(old);
    status.message = old.message;
    status.job_name = old.job_name;
    status.start_time = old.start_time;
    status.completion_time = old.completion_time;
    status.attempts = old.attempts;
    status.split = old.split;
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
      note(message::workload_not_found(target_text(ref)));
      return;
    }
    // Released once migrated, or once expanded for the rollout: never held again.
    if (status.phase == Phase::kSucceeded || status.split.released()) {
      release(*observed_.target);
      return;
    }
    if (std::optional<Json> patch = hold_patch(*observed_.target, owner_)) {
      decision_.target_patches.push_back({ref.kind, ref.name, *patch, true});
      decision_.holding = target_text(ref);
      decision_.events.push_back({kNormalEvent, reason::kRolloutHeld,
                                  message::holding(target_text(ref), object_.generation)});
    } else if (const std::optional<GateRecord>& record = observed_.target->gate;
               record && record->owner != owner_) {
      note(message::workload_held_by(target_text(ref), record->owner));
    } else if (record) {
      decision_.holding = target_text(ref);
    }
    if (status.phase == Phase::kFailed) note(message::workload_stays_held(target_text(ref)));
  }

  void release(const Workload& target) {
    std::optional<Json> patch = release_patch(target, owner_);
    if (!patch) return;
    decision_.target_patches.push_back({target.kind, target.name, *patch, false});
    decision_.events.push_back(
        {kNormalEvent, reason::kRolloutReleased, message::released(target.text())});
  }

  // Events for changes of status; what stays the same is not repeated. They
  // follow from the status, not from what this reconcile did, so one lost
  // to a crash is sent by the next reconcile (names make repeats harmless).
  void finish(const DesiredStatus& status) {
    // What status says of this generation already.
    auto was = [this](Phase phase) { return same_generation_ && object_.status.phase == phase; };
    std::string old_reason = same_generation_ ? ready_reason(object_.status) : "";
    const std::string current = job_name(object_.name, object_.uid, object_.generation);
    if (status.job_name == current && object_.status.job_name != current) {
      const MigrationJobSpec& spec = *object_.spec;
      decision_.events.push_back({kNormalEvent, reason::kStarted,
                                  message::job_started(current, spec.target, object_.generation)});
    }
    if (status.phase == Phase::kRollingOut && status.verdict == Verdict::kProgressing &&
        !was(Phase::kRollingOut)) {
      decision_.events.push_back({kNormalEvent, reason::kExpanded, status.message});
    }
    const SplitStatus& split = status.split;
    if (!split.contract_job_name.empty() && status.job_name == split.contract_job_name &&
        object_.status.job_name != split.contract_job_name) {
      decision_.events.push_back(
          {kNormalEvent, reason::kContracting,
           message::contract_started(split.contract_job_name, split.contract_revisions,
                                     object_.generation)});
    }
    if (finished(status.phase) && !was(status.phase) && !recorded_) {
      decision_.finished = finished_run(status);
    }
    if (status.phase == Phase::kSucceeded && !was(Phase::kSucceeded)) {
      decision_.events.push_back({kNormalEvent, reason::kSucceeded, status.message});
    } else if (status.verdict == Verdict::kStalled &&
               (!was(status.phase) || old_reason != status.reason)) {
      std::string event_reason = status.phase == Phase::kFailed ? reason::kFailed : status.reason;
      decision_.events.push_back({kWarningEvent, event_reason, status.message});
    }
    decision_.status = status;
  }

  static std::optional<FinishedRun> finished_run(const DesiredStatus& status) {
    auto start = kube::parse_time(status.start_time);
    auto end = kube::parse_time(status.completion_time);
    if (!start || !end || *end < *start) return std::nullopt;
    return FinishedRun{status.phase == Phase::kSucceeded ? "succeeded" : "failed",
                       std::chrono::duration<double>(*end - *start).count()};
  }

  static DesiredStatus progressing(Phase phase, const std::string& reason,
                                   const std::string& message) {
    DesiredStatus status;
    status.phase = phase;
    status.verdict = Verdict::kProgressing;
    status.reason = reason;
    status.message = message;
    return status;
  }

  static DesiredStatus stalled(Phase phase, const std::string& reason,
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
  const MigrationJobStatus& status = object.status;
  return status.observed_generation == object.generation && status.job_name == job_name &&
         status.phase && finished(*status.phase);
}

bool expanded_for_rollout(const MigrationJob& object) {
  const MigrationJobStatus& status = object.status;
  return status.observed_generation == object.generation &&
         status.split.expand_job_name == job_name(object.name, object.uid, object.generation) &&
         status.split.released() &&
         (status.phase == Phase::kRollingOut || status.phase == Phase::kContracting);
}

std::string target_text(const TargetRef& target) { return target.kind + "/" + target.name; }

Decision decide(const Observed& observed) { return Decider(observed).run(); }

}  // namespace schemagate::migrationjob
