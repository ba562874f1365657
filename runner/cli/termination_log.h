#pragma once

#include <string>
#include <vector>

#include "cli/app.h"
#include "schemagate/common/result.h"
#include "schemagate/common/runner_contract.h"

namespace schemagate::cli {

using runner_contract::kTerminationMessageLimit;

/// How a run ended, as one JSON object for the operator to read from the
/// pod's termination message (its format: runner_contract.h). The error is
/// shortened so the whole message fits the limit.
std::string termination_message(const Outcome& outcome, const std::vector<std::string>& revisions,
                                const std::vector<std::string>& contract_pending = {});

/// Writes `message` to `path` (replacing it). The error names the path.
Status write_termination_log(const std::string& path, const std::string& message);

}  // namespace schemagate::cli
