#include "cli/command_table.h"

#include "cli/completion.h"
#include "commands/commands.h"

namespace schemagate::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"init", "[DIR]", "create schemagate.yaml and an empty migration directory", {}, 0, 1,
       commands::init},
      {"revision",
       "-m MSG [--parents R] [--branch-label L] [--no-transaction] | -m MSG --autogenerate "
       "[--schema PATH] [--dev-url URL]",
       "create a new migration file on the current head",
       {"message", "parents", "branch-label", "no-transaction", "autogenerate", "schema",
        "dev-url", "wait-for-db"},
       0, 0, commands::revision},
      {"merge", "REVS...|heads -m MSG", "create a revision that merges several heads",
       {"message"}, 1, 64, commands::merge},
      {"heads", "", "print the head revisions", {"verbose"}, 0, 0, commands::heads},
      {"branches", "", "print the branch points and their branches", {}, 0, 0,
       commands::branches},
      {"history", "[-r A:B] [-i]", "print the revisions, newest first",
       {"rev-range", "verbose", "indicate-current", "wait-for-db"}, 0, 0, commands::history},
      {"show", "REV", "print one revision", {}, 1, 1, commands::show},
      {"upgrade", "[TARGET] [--sql] [--dry-run] [--phase P] [--safety-checks]",
       "apply migrations up to TARGET (default heads), under the migration lock",
       {"sql", "dry-run", "allow-changed", "lock-timeout", "lock-mode", "lock-lease",
        "wait-for-db", "statement-lock-timeout", "lock-retries", "progress-interval", "phase",
        "safety-checks"},
       0, 1, commands::upgrade},
      {"downgrade", "TARGET [--sql] [--dry-run]",
       "undo the applied descendants of TARGET (base: everything)",
       {"sql", "dry-run", "allow-changed", "lock-timeout", "lock-mode", "lock-lease",
        "wait-for-db", "statement-lock-timeout", "lock-retries", "progress-interval"},
       1, 1, commands::downgrade},
      {"stamp", "TARGET", "set the version rows to TARGET without running migrations",
       {"dry-run", "lock-timeout", "lock-mode", "lock-lease", "wait-for-db"}, 1, 1,
       commands::stamp},
      {"current", "", "print the database's current revisions", {"wait-for-db"}, 0, 0,
       commands::current},
      {"check", "[--schema PATH] [--dev-url URL] [--phase P]",
       "exit 1 when migrations are pending, applied files changed or the declared schema differs",
       {"wait-for-db", "schema", "dev-url", "phase"}, 0, 0, commands::check_with_schema},
      {"wait", "[--timeout S] [--phase P]", "block until the database has this directory's heads",
       {"timeout", "wait-for-db", "phase"}, 0, 0, commands::wait},
      {"verify", "", "compare applied migrations' checksums with their files (exit 5)",
       {"wait-for-db"}, 0, 0, commands::verify},
      {"repair", "", "clear a failed non-transactional migration and accept edited files",
       {"dry-run", "lock-timeout", "lock-mode", "lock-lease", "wait-for-db"}, 0, 0,
       commands::repair},
      {"lint", "[REV...|--since REV] [--format text|json|sarif]",
       "check revision bodies for DDL that locks production (default: those not applied)",
       {"since", "format", "wait-for-db", "statement-lock-timeout"}, 0, 64, commands::lint},
      {"import", "--from FORMAT SRC [--into DIR] [--adopt-database]",
       "convert an alembic, golang-migrate, flyway, dbmate or diesel history into revisions",
       {"from", "into", "adopt-database", "lock-timeout", "lock-mode", "lock-lease",
        "wait-for-db"},
       1, 1, commands::import_history},
      {"test", "[--dev-url URL]",
       "prove on a scratch database that every revision's down undoes its up",
       {"dev-url", "wait-for-db"}, 0, 0, commands::test_round_trip},
      {"diff", "[--schema PATH] [--dev-url URL] [--database-url URL]",
       "print the SQL from the revisions' schema to the declared one (or a database's drift)",
       {"schema", "dev-url", "wait-for-db"}, 0, 0, commands::diff_schema},
      {"completion", "bash|zsh", "print the shell's completion script (docs/runner-output.md)", {},
       1, 1, print_completion},
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
