#pragma once

#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::importers {

struct CapturedOutput {
  int exit_code = 0;
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] found through PATH) without a shell, its output and
/// errors captured, and waits for it. An error when it cannot be started.
Result<CapturedOutput> run_captured(const std::vector<std::string>& argv);

}  // namespace schemagate::importers
