#include "cli/invocation.h"

#include <algorithm>

#include "schemagate/common/runner_contract.h"

namespace schemagate::cli {
namespace po = boost::program_options;
namespace option = runner_contract::option;

namespace {

constexpr const char* kPositional = "positional";

po::options_description make_global_options() {
  po::options_description options("Global options");
  options.add_options()
      ("help,h", "show help (for a command: schemagate COMMAND --help)")
      ("version", "print the version")
      ("config", po::value<std::string>(), "settings file (default: ./schemagate.yaml if present)")
      (option::kDir, po::value<std::string>(), "migration directory (overrides the settings file)")
      (option::kDatabaseUrl, po::value<std::string>(), "PostgreSQL URL (else $DATABASE_URL)")
      (option::kDatabaseUrlFile, po::value<std::string>(),
       "file holding the URL (a mounted Secret)")
      (option::kLogFormat, po::value<std::string>()->default_value("text"), "text or json")
      ("log-level", po::value<std::string>()->default_value("info"),
       "trace, debug, info, warn, error")
      (option::kTerminationLog, po::value<std::string>(),
       "write how the run ended there as JSON (a Kubernetes termination message)");
  return options;
}

po::options_description make_command_options() {
  po::options_description options("Command options");
  options.add_options()
      ("message,m", po::value<std::string>(), "revision message")
      ("parents", po::value<std::string>(), "parent revisions, comma separated (default: head)")
      ("branch-label", po::value<std::string>(), "label the new revision's branch")
      ("no-transaction", "the new revision runs outside a transaction")
      ("rev-range,r", po::value<std::string>(), "history range A:B (either side may be empty)")
      ("verbose,v", "show more detail")
      ("sql", "print the SQL instead of running it; connects to nothing")
      ("dry-run", "connect, plan and print the plan; change nothing")
      ("allow-changed", "run even though applied migration files changed (logged)")
      (option::kLockTimeout, po::value<double>(), "seconds to wait for the migration lock (exit 4)")
      ("lock-mode", po::value<std::string>(), "advisory (default) or table (PgBouncer)")
      ("lock-lease", po::value<double>(), "seconds a table-mode lease lives without renewal")
      (option::kWaitForDb, po::value<double>(), "seconds to retry connecting (exit 3)")
      ("statement-lock-timeout", po::value<double>(),
       "seconds a migration statement waits for a table lock")
      ("lock-retries", po::value<int>(), "retries of a migration that hit the lock timeout")
      ("progress-interval", po::value<double>(),
       "seconds between reports of a statement still running (default 5; 0: none)")
      ("timeout", po::value<double>(), "seconds `wait` waits (exit 4)")
      (option::kPhase, po::value<std::string>(),
       "expand, contract or all (default): which revisions upgrade applies, or check and wait "
       "require")
      ("indicate-current,i", "mark the database's current revisions (connects)")
      ("from", po::value<std::string>(), "format of SRC: golang-migrate, flyway, dbmate or diesel")
      ("into", po::value<std::string>(), "migration directory to write into (default: --dir)")
      ("adopt-database", "stamp what the other tool's own table says is applied")
      ("since", po::value<std::string>(), "lint the revisions after REV")
      ("format", po::value<std::string>(), "lint output: text (default), json or sarif")
      (option::kSafetyChecks, "lint the pending revisions first; wait for, or stop at, sessions "
                        "holding a table a statement locks strongly")
      ("dev-url", po::value<std::string>(),
       "a server for scratch databases (default: dev_url of schemagate.yaml)")
      ("schema", po::value<std::string>(),
       "SQL file or directory declaring the desired schema (default: schema of schemagate.yaml)")
      ("autogenerate", "write the revision that reaches the declared schema");
  return options;
}

po::options_description all_options() {
  po::options_description options;
  options.add(global_options()).add(command_options());
  options.add_options()(kPositional, po::value<std::vector<std::string>>()->composing());
  return options;
}

bool takes_value(const po::options_description& options, const std::string& token) {
  if (token.find('=') != std::string::npos) return false;
  const po::option_description* option = nullptr;
  if (token.rfind("--", 0) == 0) {
    option = options.find_nothrow(token.substr(2), false);
  } else if (token.size() == 2 && token[0] == '-') {
    option = options.find_nothrow(token.substr(1), false, false, true);
  }
  return option && option->semantic()->max_tokens() > 0;
}

/// Rewrites `-N` tokens so that program_options reads them as values.
std::vector<std::string> protect_negative_numbers(const std::vector<std::string>& args,
                                                  const po::options_description& options) {
  auto is_negative_number = [](const std::string& arg) {
    return arg.size() > 1 && arg[0] == '-' &&
           std::all_of(arg.begin() + 1, arg.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (!is_negative_number(args[i])) {
      out.push_back(args[i]);
      continue;
    }
    if (i > 0 && takes_value(options, args[i - 1])) {
      out.back() += "=" + args[i];
    } else {
      out.push_back(std::string("--") + kPositional + "=" + args[i]);
    }
  }
  return out;
}

}  // namespace

const po::options_description& global_options() {
  static const po::options_description options = make_global_options();
  return options;
}

const po::options_description& command_options() {
  static const po::options_description options = make_command_options();
  return options;
}

Result<Invocation> parse_command_line(const std::vector<std::string>& args) {
  po::options_description options = all_options();
  po::positional_options_description positional;
  positional.add(kPositional, -1);
  Invocation invocation;
  try {
    auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::parsed_options parsed = po::command_line_parser(protect_negative_numbers(args, options))
                                    .options(options)
                                    .positional(positional)
                                    .style(style)
                                    .run();
    for (const po::option& option : parsed.options) {
      if (option.string_key != kPositional) invocation.given.insert(option.string_key);
    }
    po::store(parsed, invocation.values);
    po::notify(invocation.values);
  } catch (const po::error& e) {
    return Error(ErrorCode::kInvalid, std::string(e.what()) + "; see `schemagate --help`");
  }
  if (invocation.has(kPositional)) {
    auto words = invocation.get<std::vector<std::string>>(kPositional);
    invocation.command = words.front();
    invocation.arguments.assign(words.begin() + 1, words.end());
  }
  return invocation;
}

}  // namespace schemagate::cli
