#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "schemagate/common/error.h"

namespace schemagate::cli {

/// How a run ended: the process exit code and, on failure, the error.
struct Outcome {
  int exit_code = 0;
  std::optional<Error> error;
};

/// Runs the command line `args` (without the program name), writing results
/// to `out`. Logging is configured from --log-format/--log-level.
Outcome run(const std::vector<std::string>& args, std::ostream& out);

}  // namespace schemagate::cli
