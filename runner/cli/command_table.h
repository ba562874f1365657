#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "schemagate/common/result.h"

namespace schemagate::cli {

/// One verb of the command line.
struct Command {
  std::string name;
  std::string usage;                ///< arguments, as shown in help
  std::string help;                 ///< one line
  std::vector<std::string> options; ///< command options it accepts (long names)
  size_t min_arguments;
  size_t max_arguments;
  std::function<Status(Context&)> run;
};

const std::vector<Command>& command_table();
/// nullptr when there is no such command.
const Command* find_command(const std::string& name);

}  // namespace schemagate::cli
