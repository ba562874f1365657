#include "cli/command_table.h"

#include "commands/commands.h"

namespace schemagate::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"init", "[DIR]", "create schemagate.yaml and an empty migration directory", {}, 0, 1,
       commands::init},
      {"revision", "-m MSG [--parents R] [--branch-label L] [--no-transaction]",
       "create a new migration file on the current head",
       {"message", "parents", "branch-label", "no-transaction"}, 0, 0, commands::revision},
      {"merge", "REVS...|heads -m MSG", "create a revision that merges several heads",
       {"message"}, 1, 64, commands::merge},
      {"heads", "", "print the head revisions", {"verbose"}, 0, 0, commands::heads},
      {"branches", "", "print the branch points and their branches", {"verbose"}, 0, 0,
       commands::branches},
      {"history", "[-r A:B]", "print the revisions, newest first", {"rev-range", "verbose"}, 0, 0,
       commands::history},
      {"show", "REV", "print one revision", {}, 1, 1, commands::show},
  };
  return table;
}

const Command* find_command(const std::string& name) {
  for (const Command& command : command_table()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

}  // namespace schemagate::cli
