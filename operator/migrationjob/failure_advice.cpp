#include "migrationjob/failure_advice.h"

#include <vector>

#include "migrationjob/reasons.h"
#include "schemagate/common/runner_contract.h"

namespace schemagate::migrationjob {
namespace {

// The runner's error kind; from its exit code (README "Exit codes") for a
// report that has a code but no kind.
std::optional<ErrorCode> error_code_of(const RunnerReport& report) {
  if (!report.kind.empty()) return runner_contract::error_code_of_kind(report.kind);
  return runner_contract::error_code_of_exit(report.exit_code);
}

// The `schemagate repair` and `schemagate stamp REV` commands the runner's
// error tells the reader to run, in its order, each once.
std::vector<std::string> named_commands(const std::string& error) {
  std::vector<std::string> commands;
  for (size_t at = error.find("`schemagate "); at != std::string::npos;
       at = error.find("`schemagate ", at + 1)) {
    size_t end = error.find('`', at + 1);
    if (end == std::string::npos) break;
    std::string command = error.substr(at + 1, end - at - 1);
    bool fixes_state = command == "schemagate repair" || command.rfind("schemagate stamp ", 0) == 0;
    bool seen = false;
    for (const std::string& known : commands) seen = seen || known == command;
    if (fixes_state && !seen) commands.push_back(command);
  }
  return commands;
}

std::string quoted_list(const std::vector<std::string>& commands) {
  std::string text;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (i > 0) text += i + 1 == commands.size() ? " or " : ", ";
    text += "`" + commands[i] + "`";
  }
  return text;
}

// `text` ending in one full stop.
std::string sentence(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ' || text.back() == '\n')) {
    text.pop_back();
  }
  return text + ".";
}

class Advisor {
 public:
  Advisor(const MigrationJob& object, const MigrationJobSpec& spec, const std::string& job_name)
      : object_(object), spec_(spec), job_name_(job_name) {}

  // A spec change is a new generation, hence a new Job; an annotation of the
  // pod changes nothing else.
  std::string run_again() const {
    return "kubectl -n " + object_.ns + " patch migrationjob " + object_.name +
           " --type merge -p '{\"spec\":{\"podTemplate\":{\"metadata\":{\"annotations\":"
           "{\"schemagate.io/run\":\"" + std::to_string(object_.generation + 1) + "\"}}}}}'";
  }

  std::string new_image() const {
    return "kubectl -n " + object_.ns + " patch migrationjob " + object_.name +
           " --type merge -p '{\"spec\":{\"image\":\"NEW-IMAGE\"}}'";
  }

  // `schemagate ARGS` in a pod of the Job's image with the same Secret.
  std::string one_off_pod(const std::string& command) const {
    std::string pod = object_.name.substr(0, 58) + "-fix";
    std::string args =
        "\"" + runner_contract::flag(runner_contract::option::kDir) + "\",\"" +
        spec_.migrations_dir + "\"";
    size_t start = std::string("schemagate ").size();
    for (size_t at = start; at < command.size();) {
      size_t space = command.find(' ', at);
      if (space == std::string::npos) space = command.size();
      args += ",\"" + command.substr(at, space - at) + "\"";
      at = space + 1;
    }
    return "kubectl -n " + object_.ns + " run " + pod +
           " --rm -i --restart=Never --image=" + spec_.image +
           " --overrides='{\"spec\":{\"containers\":[{\"name\":\"" + pod + "\",\"image\":\"" +
           spec_.image + "\",\"args\":[" + args +
           "],\"env\":[{\"name\":\"DATABASE_URL\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"" +
           spec_.database_url.name + "\",\"key\":\"" + spec_.database_url.key + "\"}}}]}]}}'";
  }

  FailureAdvice for_runner(ErrorCode kind, const std::string& error) const {
    std::string failed = "Job " + job_name_ + " failed: " + sentence(error) + " Fix: ";
    if (kind == ErrorCode::kMigrationFailed) {
      return {reason::kMigrationFailed,
              failed + "correct the migration named above in its file (its transaction rolled "
                       "back, so nothing of it was applied), build a new image and set "
                       "spec.image to it: " + new_image()};
    }
    if (kind == ErrorCode::kInvalid) {
      return {reason::kInvalidMigrations,
              failed + "correct the file, line or argument named above (the migrations in " +
                  spec_.image + ", spec.target or spec.container.args) and re-apply with a "
                  "new image or target: " + new_image()};
    }
    if (kind == ErrorCode::kUnreachable) {
      return {reason::kDatabaseUnreachable,
              failed + "check that the URL in Secret " + object_.ns + "/" +
                  spec_.database_url.name + " (key " + spec_.database_url.key +
                  ") names a running database with the right user and password, and that "
                  "pods in " + object_.ns + " may reach it (NetworkPolicy, firewall, sslmode); "
                  "then run it again: " + run_again()};
    }
    if (kind == ErrorCode::kLockTimeout) {
      return {reason::kLockTimeout,
              failed + "another session held the migration lock for all of "
                       "spec.activeDeadlineSeconds (" +
                  std::to_string(spec_.active_deadline_seconds) +
                  " s); find it in pg_locks and pg_stat_activity and let it finish or end it, "
                  "or raise spec.activeDeadlineSeconds; then run it again: " + run_again()};
    }
    if (kind == ErrorCode::kStateRefused) {
      std::vector<std::string> commands = named_commands(error);
      if (commands.empty()) {
        return {reason::kStateRefused,
                failed + "resolve what the error names in the database, then run it again: " +
                    run_again()};
      }
      std::string pods;
      for (const std::string& command : commands) {
        pods += (pods.empty() ? "" : "; or ") + one_off_pod(command);
      }
      return {reason::kStateRefused,
              failed + "run " + quoted_list(commands) +
                  " as the error explains, with the migrations of the image against the "
                  "same database: " + pods + "; then run it again: " + run_again()};
    }
    return {"", ""};
  }

  FailureAdvice for_job(const JobProgress& progress) const {
    std::string why = progress.message.empty() ? progress.reason : progress.message;
    std::string failed =
        "Job " + job_name_ + " failed" + (why.empty() ? "." : ": " + sentence(why)) + " Fix: ";
    if (progress.reason == reason::kDeadlineExceeded) {
      return {reason::kDeadlineExceeded,
              failed + "the run took longer than spec.activeDeadlineSeconds (" +
                  std::to_string(spec_.active_deadline_seconds) +
                  " s); see why in its log (kubectl -n " + object_.ns + " logs job/" +
                  job_name_ + "), raise the deadline if it needs the time, then run it again: " +
                  run_again()};
    }
    return {progress.reason.empty() ? reason::kJobFailed : progress.reason,
            failed + "read the runner's log (kubectl -n " + object_.ns +
                " logs job/" + job_name_ + "), fix the cause, then run it again: " + run_again()};
  }

 private:
  const MigrationJob& object_;
  const MigrationJobSpec& spec_;
  const std::string& job_name_;
};

}  // namespace

FailureAdvice failure_advice(const MigrationJob& object, const MigrationJobSpec& spec,
                             const std::string& job_name, const JobProgress& progress,
                             const std::optional<RunnerReport>& report) {
  Advisor advisor(object, spec, job_name);
  if (report && !report->succeeded) {
    if (std::optional<ErrorCode> kind = error_code_of(*report)) {
      FailureAdvice advice = advisor.for_runner(*kind, report->error);
      if (!advice.reason.empty()) return advice;
    }
    // A log line kept by FallbackToLogsOnError: the runner's last words.
    if (!report->error.empty()) {
      JobProgress with_log = progress;
      with_log.message = report->error;
      return advisor.for_job(with_log);
    }
  }
  return advisor.for_job(progress);
}

}  // namespace schemagate::migrationjob
