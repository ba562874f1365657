#include "app/options.h"

#include <sstream>

#include <boost/program_options.hpp>

#include "schemagate/common/completion.h"

namespace schemagate::app {
namespace {

namespace po = boost::program_options;

Error invalid(const std::string& message) { return Error(ErrorCode::kInvalid, message); }

/// `completion SHELL`: the script, generated from the flags themselves.
Result<std::string> completion_script(const po::options_description& described,
                                      const std::vector<std::string>& args) {
  using completion::Values;
  if (args.size() != 2) return invalid("usage: schemagate-operator completion bash|zsh");
  completion::Program program;
  program.name = "schemagate-operator";
  program.global = completion::options_of(
      described, {{"kubeconfig", Values::file()},
                  {"log-format", Values::words_of({"text", "json"})},
                  {"log-level", Values::words_of({"trace", "debug", "info", "warn", "error"})}});
  program.commands = {{"completion", "print the shell's completion script", {},
                       Values::words_of(completion::shells())}};
  std::string script = completion::script(program, args[1]);
  if (script.empty()) return invalid("completion: unknown shell '" + args[1] + "'; use bash or zsh");
  return script;
}

}  // namespace

Result<std::chrono::nanoseconds> parse_duration(const std::string& text) {
  static const std::pair<const char*, double> kUnits[] = {
      {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  double total = 0;
  std::size_t at = 0;
  if (text.empty()) return invalid("empty duration");
  while (at < text.size()) {
    std::size_t used = 0;
    double number = 0;
    try {
      number = std::stod(text.substr(at), &used);
    } catch (const std::exception&) {
      return invalid("duration \"" + text + "\" must look like 15s, 500ms or 1m30s");
    }
    if (number < 0) return invalid("duration \"" + text + "\" is negative");
    at += used;
    bool matched = false;
    // The table lists "ms" before "m" and "s", so the longest unit wins.
    for (const auto& [unit, scale] : kUnits) {
      std::size_t length = std::char_traits<char>::length(unit);
      if (text.compare(at, length, unit) == 0) {
        total += number * scale;
        at += length;
        matched = true;
        break;
      }
    }
    if (!matched) return invalid("duration \"" + text + "\" needs a unit (ns, us, ms, s, m, h)");
  }
  return std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(total));
}

Result<OperatorOptions> parse_options(const std::vector<std::string>& args,
                                      const std::string& pod_namespace) {
  OperatorOptions options;
  std::string lease_duration = "15s";
  std::string renew_deadline = "10s";
  std::string retry_period = "2s";
  po::options_description described("schemagate-operator: runs MigrationJobs");
  described.add_options()
      ("help,h", "show this help")
      ("version", "print the version and git revision")
      ("kubeconfig", po::value(&options.kubeconfig),
       "kubeconfig file; default: $KUBECONFIG, the in-cluster service account, ~/.kube/config")
      ("namespace", po::value(&options.watch_namespace),
       "watch MigrationJobs in this namespace only; default: all namespaces")
      ("leader-elect", po::bool_switch(&options.leader_elect),
       "elect a leader on a Lease so that only one replica reconciles")
      ("leader-election-namespace", po::value(&options.leader_election_namespace),
       "namespace of the Lease; default: $POD_NAMESPACE, else the client's namespace")
      ("leader-election-id", po::value(&options.leader_election_id),
       "name of the Lease")
      ("leader-election-lease-duration", po::value(&lease_duration),
       "how long a lease stays valid without renewal (15s)")
      ("leader-election-renew-deadline", po::value(&renew_deadline),
       "how long the leader keeps trying to renew before it gives up (10s)")
      ("leader-election-retry-period", po::value(&retry_period),
       "pause between attempts to acquire or renew (2s)")
      ("metrics-bind-address", po::value(&options.metrics_bind_address),
       "address of /metrics (:8080; 0 disables)")
      ("health-probe-bind-address", po::value(&options.health_probe_bind_address),
       "address of /healthz and /readyz (:8081; 0 disables)")
      ("workers", po::value(&options.workers), "concurrent reconciles (8)")
      ("log-format", po::value(&options.log_format), "text or json")
      ("log-level", po::value(&options.log_level), "trace, debug, info, warn, error");
  if (!args.empty() && args[0] == "completion") {
    Result<std::string> script = completion_script(described, args);
    if (!script) return script.error();
    options.completion_script = *script;
    return options;
  }
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(described).run(), values);
    po::notify(values);
  } catch (const po::error& e) {
    return invalid(std::string(e.what()) + " (see --help)");
  }
  if (values.count("help")) {
    options.help = true;
    std::ostringstream usage;
    usage << described
          << "\n`schemagate-operator completion bash|zsh` prints a shell completion script.\n";
    options.usage = usage.str();
    return options;
  }
  if (values.count("version")) {
    options.version = true;
    return options;
  }
  for (auto [text, into, flag] :
       {std::tuple{&lease_duration, &options.lease_duration, "--leader-election-lease-duration"},
        std::tuple{&renew_deadline, &options.renew_deadline, "--leader-election-renew-deadline"},
        std::tuple{&retry_period, &options.retry_period, "--leader-election-retry-period"}}) {
    auto parsed = parse_duration(*text);
    if (!parsed) return invalid(std::string(flag) + ": " + parsed.error().message());
    *into = *parsed;
  }
  if (options.renew_deadline >= options.lease_duration) {
    return invalid("--leader-election-renew-deadline must be shorter than "
                   "--leader-election-lease-duration");
  }
  if (options.retry_period >= options.renew_deadline) {
    return invalid("--leader-election-retry-period must be shorter than "
                   "--leader-election-renew-deadline");
  }
  if (options.workers < 1) return invalid("--workers must be at least 1");
  if (options.leader_election_namespace.empty()) options.leader_election_namespace = pod_namespace;
  return options;
}

}  // namespace schemagate::app
