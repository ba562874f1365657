#include "migrationjob/job_progress.h"

#include "kube/json_path.h"
#include "migrationjob/resources.h"
#include "schemagate/common/runner_contract.h"

namespace schemagate::migrationjob {
namespace {

using kube::find_path;
using kube::integer_at;
using kube::string_at;
namespace field = runner_contract::field;

// The condition of `type` with status "True", if any.
const Json* true_condition(const Json& job, const std::string& type) {
  const Json* conditions = find_path(job, {"status", "conditions"});
  if (!conditions || !conditions->is_array()) return nullptr;
  for (const Json& condition : conditions->as_array()) {
    if (string_at(condition, {"type"}) == type && string_at(condition, {"status"}) == "True") {
      return &condition;
    }
  }
  return nullptr;
}

// The strings of the array at `name`; others and a missing array give none.
std::vector<std::string> texts_at(const Json& message, const char* name) {
  std::vector<std::string> texts;
  if (const Json* items = find_path(message, {name}); items && items->is_array()) {
    for (const Json& item : items->as_array()) {
      if (item.is_string()) texts.push_back(item.as_string());
    }
  }
  return texts;
}

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of(" \n\r\t");
  if (end == std::string::npos) return "";
  size_t newline = text.rfind('\n', end);
  size_t start = newline == std::string::npos ? 0 : newline + 1;
  return text.substr(start, end + 1 - start);
}

}  // namespace

JobProgress read_job_progress(const Json& job) {
  JobProgress progress;
  progress.attempts = integer_at(job, {"status", "active"}).value_or(0) +
                      integer_at(job, {"status", "succeeded"}).value_or(0) +
                      integer_at(job, {"status", "failed"}).value_or(0);
  progress.start_time = string_at(job, {"status", "startTime"});
  if (const Json* complete = true_condition(job, "Complete")) {
    progress.state = JobProgress::State::kSucceeded;
    progress.completion_time = string_at(job, {"status", "completionTime"});
    if (progress.completion_time.empty()) {
      progress.completion_time = string_at(*complete, {"lastTransitionTime"});
    }
  } else if (const Json* failed = true_condition(job, "Failed")) {
    progress.state = JobProgress::State::kFailed;
    progress.completion_time = string_at(*failed, {"lastTransitionTime"});
    progress.reason = string_at(*failed, {"reason"});
    progress.message = string_at(*failed, {"message"});
  } else if (!progress.start_time.empty() || progress.attempts > 0) {
    progress.state = JobProgress::State::kRunning;
  }
  return progress;
}

std::optional<RunnerReport> parse_termination_message(const std::string& message) {
  std::string line = last_line(message);
  if (line.empty()) return std::nullopt;
  RunnerReport report;
  Json parsed;
  try {
    parsed = Json::parse(line);
  } catch (const std::exception&) {
    report.error = line;  // FallbackToLogsOnError: plain log text
    return report;
  }
  std::string outcome = string_at(parsed, {field::kOutcome});
  if (outcome == runner_contract::kSucceeded) {
    report.succeeded = true;
    report.revisions = texts_at(parsed, field::kRevisions);
    report.contract_pending = kube::bool_at(parsed, {field::kContractPending});
    report.contract_revisions = texts_at(parsed, field::kContractRevisions);
  } else if (outcome == runner_contract::kFailed) {
    report.error = string_at(parsed, {field::kError});
    report.kind = string_at(parsed, {field::kKind});
    report.exit_code = static_cast<int>(integer_at(parsed, {field::kExitCode}).value_or(0));
  } else {
    // A JSON log line kept by FallbackToLogsOnError: its message is the news.
    report.error = string_at(parsed, {"msg"});
    if (report.error.empty()) report.error = line;
  }
  return report;
}

std::string runner_termination_message(const std::vector<Json>& pods) {
  std::string message;
  std::string latest;
  for (const Json& pod : pods) {
    const Json* statuses = find_path(pod, {"status", "containerStatuses"});
    if (!statuses || !statuses->is_array()) continue;
    for (const Json& status : statuses->as_array()) {
      if (string_at(status, {"name"}) != kRunnerContainer) continue;
      std::string finished = string_at(status, {"state", "terminated", "finishedAt"});
      std::string text = string_at(status, {"state", "terminated", "message"});
      // RFC 3339 times of one format order as text.
      if (!text.empty() && finished >= latest) {
        latest = finished;
        message = text;
      }
    }
  }
  return message;
}

}  // namespace schemagate::migrationjob
