#include "cli/completion.h"

#include "cli/command_table.h"
#include "cli/invocation.h"

namespace schemagate::cli {
namespace {

using completion::Values;

/// What option values complete to, by long name; the words are checked
/// against the parsers that read them (tests/runner/cli/completion_test.cpp).
std::map<std::string, Values> option_values() {
  return {
      {"config", Values::file()},
      {"dir", Values::directory()},
      {"database-url-file", Values::file()},
      {"termination-log", Values::file()},
      {"log-format", Values::words_of({"text", "json"})},
      {"log-level", Values::words_of({"trace", "debug", "info", "warn", "error", "critical", "off"})},
      {"lock-mode", Values::words_of({"advisory", "table"})},
      {"from", Values::words_of({"golang-migrate", "flyway", "dbmate", "diesel"})},
      {"into", Values::directory()},
      {"format", Values::words_of({"text", "json", "sarif"})},
  };
}

/// What a command's positional arguments complete to.
Values argument_values(const std::string& command) {
  if (command == "upgrade" || command == "downgrade" || command == "stamp" || command == "show") {
    return Values::words_of({"heads", "head", "base"});
  }
  if (command == "merge") return Values::words_of({"heads"});
  if (command == "init" || command == "import") return Values::directory();
  if (command == "completion") return Values::words_of(completion::shells());
  return Values::nothing();
}

}  // namespace

completion::Program completion_program() {
  completion::Program program;
  program.name = "schemagate";
  program.global = completion::options_of(global_options(), option_values());
  program.command = completion::options_of(command_options(), option_values());
  for (const Command& command : command_table()) {
    program.commands.push_back(
        {command.name, command.help, command.options, argument_values(command.name)});
  }
  return program;
}

Status print_completion(Context& context) {
  const std::string& shell = context.invocation().arguments.front();
  std::string script = completion::script(completion_program(), shell);
  if (script.empty()) {
    return Error(ErrorCode::kInvalid, "completion: unknown shell '" + shell + "'; use bash or zsh");
  }
  context.out() << script;
  return {};
}

}  // namespace schemagate::cli
