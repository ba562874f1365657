#include "migrationjob/status.h"

#include <tuple>

namespace schemagate::migrationjob {
namespace {

Condition condition(const char* type, bool value, const DesiredStatus& desired, int64_t generation,
                    const MigrationJobStatus& old_status, const std::string& now) {
  Condition result;
  result.type = type;
  result.status = value ? "True" : "False";
  result.reason = desired.reason;
  result.message = desired.message;
  result.observed_generation = generation;
  result.last_transition_time = now;
  for (const Condition& previous : old_status.conditions) {
    if (previous.type == result.type && previous.status == result.status &&
        !previous.last_transition_time.empty()) {
      result.last_transition_time = previous.last_transition_time;
    }
  }
  return result;
}

auto fields(const Condition& c) {
  return std::tie(c.type, c.status, c.reason, c.message, c.observed_generation,
                  c.last_transition_time);
}

auto fields(const SplitStatus& s) {
  return std::tie(s.expand_job_name, s.contract_job_name, s.contract_revisions,
                  s.rollout_template_hash);
}

auto fields(const MigrationJobStatus& s) {
  return std::tie(s.observed_generation, s.phase, s.conditions, s.message, s.job_name,
                  s.start_time, s.completion_time, s.attempts, s.applied_revision,
                  s.rollout_target, s.split);
}

}  // namespace

bool Condition::operator==(const Condition& other) const { return fields(*this) == fields(other); }

bool SplitStatus::operator==(const SplitStatus& other) const {
  return fields(*this) == fields(other);
}

const Condition* MigrationJobStatus::condition(const std::string& type) const {
  for (const Condition& item : conditions) {
    if (item.type == type) return &item;
  }
  return nullptr;
}

bool MigrationJobStatus::operator==(const MigrationJobStatus& other) const {
  return fields(*this) == fields(other);
}

std::string revision_text(const std::vector<std::string>& revisions) {
  std::string text;
  for (const std::string& revision : revisions) text += (text.empty() ? "" : ",") + revision;
  return text;
}

MigrationJobStatus render_status(const DesiredStatus& desired, int64_t generation,
                                 const MigrationJobStatus& old_status, const std::string& now) {
  MigrationJobStatus status;
  status.observed_generation = generation;
  status.phase = desired.phase;
  status.conditions = {
      condition("Ready", desired.verdict == Verdict::kSucceeded, desired, generation, old_status,
                now),
      condition("Reconciling", desired.verdict == Verdict::kProgressing, desired, generation,
                old_status, now),
      condition("Stalled", desired.verdict == Verdict::kStalled, desired, generation, old_status,
                now),
  };
  status.message = desired.message;
  status.job_name = desired.job_name;
  status.start_time = desired.start_time;
  status.completion_time = desired.completion_time;
  status.attempts = desired.attempts;
  status.applied_revision = desired.applied_revisions.empty()
                                ? old_status.applied_revision
                                : revision_text(desired.applied_revisions);
  status.rollout_target = desired.rollout_target;
  status.split = desired.split;
  return status;
}

}  // namespace schemagate::migrationjob
