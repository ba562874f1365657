#include <catch2/catch.hpp>

#include "cli/command_table.h"
#include "cli/completion.h"
#include "cli/invocation.h"
#include "importers/format.h"
#include "lint/report.h"
#include "schemagate/common/logging.h"

using namespace schemagate;

namespace {

const completion::Option* option(const std::vector<completion::Option>& options,
                                 const std::string& name) {
  for (const auto& candidate : options) {
    if (candidate.long_name == name) return &candidate;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("completion scripts name every command and option of the definitions",
          "[cli][completion]") {
  completion::Program program = cli::completion_program();
  for (const std::string& shell : completion::shells()) {
    std::string script = completion::script(program, shell);
    for (const cli::Command& command : cli::command_table()) {
      CHECK_THAT(script, Catch::Contains(command.name));
      for (const std::string& name : command.options) {
        INFO(shell << " " << command.name << " --" << name);
        CHECK(cli::command_options().find_nothrow(name, false) != nullptr);
        CHECK_THAT(script, Catch::Contains("--" + name));
      }
    }
    for (const auto& description : cli::global_options().options()) {
      CHECK_THAT(script, Catch::Contains("--" + description->long_name()));
    }
  }
  CHECK(completion::script(program, "fish").empty());
  CHECK(option(program.command, "message")->short_name == "m");
  CHECK(option(program.command, "message")->takes_value);
  CHECK_FALSE(option(program.command, "dry-run")->takes_value);
}

TEST_CASE("completed option values are what the parsers accept", "[cli][completion]") {
  completion::Program program = cli::completion_program();
  for (const std::string& word : option(program.global, "log-format")->values.words) {
    CHECK(log::parse_format(word).ok());
  }
  for (const std::string& word : option(program.global, "log-level")->values.words) {
    CHECK(log::configure(log::Format::kText, word).ok());
  }
  (void)log::configure(log::Format::kText, "off");
  const auto& formats = option(program.command, "from")->values.words;
  CHECK(formats.size() == 4);
  for (const std::string& word : formats) CHECK(importers::parse_format(word));
  CHECK(option(program.command, "lock-mode")->values.words ==
        std::vector<std::string>{"advisory", "table"});
  const auto& report_formats = option(program.command, "format")->values.words;
  CHECK(report_formats.size() == 3);
  for (const std::string& word : report_formats) CHECK(lint::parse_report_format(word));
}
