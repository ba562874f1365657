#include "cli/app.h"

#include "cli/command_table.h"
#include "cli/invocation.h"
#include "cli/termination_log.h"
#include "schemagate/common/build_info.h"
#include "schemagate/common/logging.h"

namespace schemagate::cli {
namespace {

Outcome failed(const Error& error) { return Outcome{error.exit_code(), error}; }

void print_usage(std::ostream& out) {
  out << "usage: schemagate [options] COMMAND [arguments]\n\ncommands:\n";
  for (const Command& command : command_table()) {
    std::string name = command.name;
    name.resize(12, ' ');
    out << "  " << name << command.help << "\n";
  }
  out << "\n" << global_options() << "\nexit codes: 0 ok, 1 migration failed, 2 bad usage or "
      << "scripts, 3 database unreachable, 4 lock timeout, 5 state refused\n";
}

void print_command_help(std::ostream& out, const Command& command) {
  out << "usage: schemagate " << command.name << " " << command.usage << "\n\n"
      << command.help << "\n";
  if (!command.options.empty()) {
    out << "\noptions:\n";
    for (const std::string& name : command.options) {
      const auto* option = command_options().find_nothrow(name, false);
      if (option) out << "  " << option->format_name() << "  " << option->description() << "\n";
    }
  }
}

Status check_options(const Invocation& invocation, const Command& command) {
  for (const std::string& name : invocation.given) {
    if (global_options().find_nothrow(name, false)) continue;
    bool accepted = false;
    for (const std::string& allowed : command.options) accepted = accepted || allowed == name;
    if (!accepted) {
      return Error(ErrorCode::kInvalid, "option --" + name + " is not used by '" + command.name +
                                            "'; see `schemagate " + command.name + " --help`");
    }
  }
  size_t count = invocation.arguments.size();
  if (count < command.min_arguments || count > command.max_arguments) {
    return Error(ErrorCode::kInvalid, "'" + command.name + "' takes " + command.usage +
                                          "; see `schemagate " + command.name + " --help`");
  }
  return {};
}

Status configure_logging(const Invocation& invocation) {
  Result<log::Format> format = log::parse_format(invocation.get<std::string>("log-format"));
  if (!format) return format.error();
  return log::configure(*format, invocation.get<std::string>("log-level"));
}

// Everything after parsing: logging, then the command or the help asked for.
Outcome dispatch(Context& context) {
  const Invocation& invocation = context.invocation();
  Status logging = configure_logging(invocation);
  if (!logging) return failed(logging.error());

  if (invocation.has("version")) {
    context.out() << build_info::version_line("schemagate") << "\n";
    return {};
  }
  if (invocation.command.empty()) {
    print_usage(context.out());
    return invocation.has("help") ? Outcome{}
                                  : failed(Error(ErrorCode::kInvalid, "no command given"));
  }
  const Command* command = find_command(invocation.command);
  if (!command) {
    return failed(Error(ErrorCode::kInvalid, "unknown command '" + invocation.command +
                                                 "'; `schemagate --help` lists the commands"));
  }
  if (invocation.has("help")) {
    print_command_help(context.out(), *command);
    return {};
  }
  Status valid = check_options(invocation, *command);
  if (!valid) return failed(valid.error());

  Status status = command->run(context);
  if (!status) return failed(status.error());
  return {};
}

}  // namespace

Outcome run(const std::vector<std::string>& args, std::ostream& out) {
  // Errors met before the options are read still go to stderr as text.
  (void)log::configure(log::Format::kText, "info");
  Result<Invocation> parsed = parse_command_line(args);
  if (!parsed) return failed(parsed.error());
  Context context(*parsed, out);
  Outcome outcome = dispatch(context);
  const char* log_option = runner_contract::option::kTerminationLog;
  if (!parsed->has(log_option)) return outcome;
  Status written = write_termination_log(parsed->get<std::string>(log_option),
                                         termination_message(outcome, context.reported_revisions(),
                                                             context.reported_contract_pending()));
  if (written) return outcome;
  // The run's own error matters more than a lost report of it.
  if (outcome.error) {
    log::warn(written.error().message());
    return outcome;
  }
  return failed(written.error());
}

}  // namespace schemagate::cli
