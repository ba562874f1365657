#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kube/object.h"

namespace schemagate::migrationjob {

using kube::Json;

/// Where a migration Job is, read from its status as the Job controller
/// writes it.
struct JobProgress {
  enum class State { kPending, kRunning, kSucceeded, kFailed };
  State state = State::kPending;
  int64_t attempts = 0;         ///< pods started: active + succeeded + failed
  std::string start_time;       ///< status.startTime, "" until started
  std::string completion_time;  ///< when it succeeded or failed
  std::string reason;           ///< the Failed condition's reason (BackoffLimitExceeded, ...)
  std::string message;          ///< the Failed condition's message

  bool finished() const { return state == State::kSucceeded || state == State::kFailed; }
};

JobProgress read_job_progress(const Json& job);

/// What the runner wrote to its termination message (schemagate
/// --termination-log, its format in runner_contract.h), or, when it died
/// before writing one, the last log line Kubernetes kept instead.
struct RunnerReport {
  bool succeeded = false;
  std::vector<std::string> revisions;  ///< where the database is, on success
  std::string error;                   ///< why it failed
  /// The runner's exit code and its error kind ("migration-failed",
  /// "invalid", "unreachable", "lock-timeout", "state-refused"); 0 and ""
  /// when it died before writing its report.
  int exit_code = 0;
  std::string kind;
  /// After `upgrade --phase expand`: contract revisions remain to apply
  /// (their ids, possibly cut short to fit the message).
  bool contract_pending = false;
  std::vector<std::string> contract_revisions;
};

/// Parses a termination message; nullopt when it is empty.
std::optional<RunnerReport> parse_termination_message(const std::string& message);

/// The termination message of the runner container among a Job's pods: of
/// the pod that finished last (the last attempt). "" when none has one.
std::string runner_termination_message(const std::vector<Json>& pods);

}  // namespace schemagate::migrationjob
