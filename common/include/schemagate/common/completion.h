#pragma once

#include <map>
#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>

/// Shell completion scripts, generated from a program's own option
/// definitions and command table so that they cannot drift from them.
namespace schemagate::completion {

/// What a value (of an option, or a positional argument) completes to.
struct Values {
  enum class Kind { kNothing, kWords, kFile, kDirectory };
  Kind kind = Kind::kNothing;
  std::vector<std::string> words;  ///< for kWords

  static Values nothing() { return {}; }
  static Values words_of(std::vector<std::string> words) { return {Kind::kWords, std::move(words)}; }
  static Values file() { return {Kind::kFile, {}}; }
  static Values directory() { return {Kind::kDirectory, {}}; }
};

struct Option {
  std::string long_name;   ///< without dashes
  std::string short_name;  ///< one letter, or empty
  std::string help;
  bool takes_value = false;
  Values values;  ///< when it takes a value
};

struct Command {
  std::string name;
  std::string help;
  std::vector<std::string> options;  ///< long names of the command options it accepts
  Values arguments;                  ///< its positional arguments
};

struct Program {
  std::string name;             ///< the binary: schemagate, schemagate-operator
  std::vector<Option> global;   ///< accepted everywhere
  std::vector<Option> command;  ///< accepted by the commands that list them
  std::vector<Command> commands;  ///< empty for a program without command words
};

/// The options of `described`, with the value completions `hints` gives by
/// long name (an option without a hint completes nothing).
std::vector<Option> options_of(const boost::program_options::options_description& described,
                               const std::map<std::string, Values>& hints);

/// "bash" and "zsh".
const std::vector<std::string>& shells();

/// The completion script for `shell` (one of shells()); empty for another.
/// bash: `source <(PROGRAM completion bash)`; zsh: the same, or the output
/// saved as `_PROGRAM` in a directory of $fpath.
std::string script(const Program& program, const std::string& shell);

}  // namespace schemagate::completion
