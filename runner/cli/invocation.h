#pragma once

#include <boost/program_options.hpp>

#include <set>
#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::cli {

/// A parsed command line: the command word, its positional arguments, and
/// every option, whether given before or after the command word.
struct Invocation {
  std::string command;                    ///< empty when none was given
  std::vector<std::string> arguments;     ///< positional arguments after the command
  boost::program_options::variables_map values;
  std::set<std::string> given;            ///< long names of options the user gave

  bool has(const std::string& name) const { return values.count(name) > 0; }
  template <typename T>
  T get(const std::string& name) const { return values[name].as<T>(); }
};

/// Options every command accepts (they configure the tool, not the command).
const boost::program_options::options_description& global_options();
/// Options that only some commands accept; the command table says which.
const boost::program_options::options_description& command_options();

/// Parses `args` (without the program name). A negative number such as
/// `downgrade -1` is a positional target, not an option (as in Alembic).
Result<Invocation> parse_command_line(const std::vector<std::string>& args);

}  // namespace schemagate::cli
