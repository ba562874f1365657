#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "schemagate/common/error.h"

/// What the runner (`schemagate`) and the operator agree on, written once:
/// the runner's options the operator's Job passes, the termination message
/// the runner writes and the operator reads back from the pod, and the exit
/// codes with their error kinds. The runner defines its options and writes
/// its message with these names; the operator builds the Job's arguments and
/// reads the message with them. tests/operator/migrationjob/
/// runner_contract_test.cpp runs one side against the other.
namespace schemagate::runner_contract {

/// Long option names, without "--".
namespace option {
inline constexpr const char* kDir = "dir";
inline constexpr const char* kDatabaseUrl = "database-url";
inline constexpr const char* kDatabaseUrlFile = "database-url-file";
inline constexpr const char* kLogFormat = "log-format";
inline constexpr const char* kTerminationLog = "termination-log";
inline constexpr const char* kWaitForDb = "wait-for-db";
inline constexpr const char* kLockTimeout = "lock-timeout";
inline constexpr const char* kSafetyChecks = "safety-checks";
inline constexpr const char* kPhase = "phase";
}  // namespace option

/// "--name", as on a command line.
inline std::string flag(const char* option) { return std::string("--") + option; }

inline constexpr const char* kUpgradeCommand = "upgrade";
/// --log-format value whose lines the operator (and log collectors) parse.
inline constexpr const char* kJsonLogFormat = "json";

/// Where Kubernetes reads a container's termination message by default;
/// the Job points --termination-log there.
inline constexpr const char* kTerminationLogPath = "/dev/termination-log";
/// Kubernetes keeps at most this many bytes of a termination message.
inline constexpr std::size_t kTerminationMessageLimit = 4096;

/// The termination message: one JSON object on one line.
///   {"outcome":"succeeded","revisions":["a84e1c9b3d72"]}
///   {"outcome":"succeeded","revisions":["c1"],"contractPending":true,
///    "contractRevisions":["d2"]}   (after `upgrade --phase expand`)
///   {"outcome":"failed","exitCode":1,"kind":"migration-failed","error":"..."}
namespace field {
inline constexpr const char* kOutcome = "outcome";
inline constexpr const char* kRevisions = "revisions";
inline constexpr const char* kContractPending = "contractPending";
inline constexpr const char* kContractRevisions = "contractRevisions";
inline constexpr const char* kExitCode = "exitCode";
inline constexpr const char* kKind = "kind";
inline constexpr const char* kError = "error";
}  // namespace field

/// Values of field::kOutcome.
inline constexpr const char* kSucceeded = "succeeded";
inline constexpr const char* kFailed = "failed";

/// Exit codes are ErrorCode's numbers (error.h) and the "kind" of a failed
/// message its to_string(); these go back from either to the code. nullopt
/// for what no ErrorCode has (a runner newer than the operator, a crash).
std::optional<ErrorCode> error_code_of_kind(const std::string& kind);
std::optional<ErrorCode> error_code_of_exit(int exit_code);

}  // namespace schemagate::runner_contract
