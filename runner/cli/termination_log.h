#pragma once

#include <string>
#include <vector>

#include "cli/app.h"
#include "schemagate/common/result.h"

namespace schemagate::cli {

/// Kubernetes keeps at most 4096 bytes of a termination message.
inline constexpr size_t kTerminationMessageLimit = 4096;

/// How a run ended, as one JSON object for the operator to read from the
/// pod's termination message:
///   {"outcome":"succeeded","revisions":["a84e1c9b3d72"]}
///   {"outcome":"succeeded","revisions":["c1"],"contractPending":true,
///    "contractRevisions":["d2"]}   (after `upgrade --phase expand`)
///   {"outcome":"failed","exitCode":1,"kind":"migration-failed","error":"..."}
/// The error is shortened so the whole message fits the limit.
std::string termination_message(const Outcome& outcome, const std::vector<std::string>& revisions,
                                const std::vector<std::string>& contract_pending = {});

/// Writes `message` to `path` (replacing it). The error names the path.
Status write_termination_log(const std::string& path, const std::string& message);

}  // namespace schemagate::cli
