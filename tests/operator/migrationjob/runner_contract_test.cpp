#include <catch2/catch.hpp>

#include <algorithm>

#include "cli/app.h"
#include "cli/invocation.h"
#include "cli/termination_log.h"
#include "migrationjob/failure_advice.h"
#include "migrationjob/job_builder.h"
#include "migrationjob/job_progress.h"
#include "migrationjob/reasons.h"
#include "operator/migrationjob/fixtures.h"

// Both halves of runner_contract.h, one against the other: the arguments the
// operator's Job gives the runner, and the report the runner leaves for the
// operator.

using namespace schemagate;
using namespace schemagate::migrationjob;

namespace {

std::vector<std::string> job_args(const kube::Json& object) {
  MigrationJob parsed = read_migration_job(object);
  REQUIRE(parsed.spec);
  kube::Json container = build_job(parsed, *parsed.spec, "")
                             .at("spec").at("template").at("spec").at("containers").at(0);
  std::vector<std::string> args;
  for (const kube::Json& arg : container.at("args").as_array()) args.push_back(arg.as_string());
  CHECK(container.at("terminationMessagePath").as_string() ==
        runner_contract::kTerminationLogPath);
  return args;
}

}  // namespace

TEST_CASE("the Job's arguments parse with the runner's own option parser",
          "[migration][contract]") {
  kube::Json object = testing::migration_job_object();
  object["spec"]["safetyChecks"] = kube::Json::boolean(true);
  object["spec"]["container"]["args"] = kube::Json::array({kube::Json::string("--lock-retries=3")});
  Result<cli::Invocation> parsed = cli::parse_command_line(job_args(object));
  REQUIRE(parsed);
  CHECK(parsed->command == "upgrade");
  CHECK(parsed->arguments == std::vector<std::string>{"heads"});
  CHECK(parsed->get<std::string>("dir") == "/migrations");
  CHECK(parsed->get<std::string>("database-url-file") == "/var/run/schemagate/database/url");
  CHECK(parsed->get<std::string>("log-format") == "json");
  CHECK(parsed->get<std::string>("termination-log") == "/dev/termination-log");
  CHECK(parsed->get<double>("wait-for-db") == 60);
  CHECK(parsed->get<double>("lock-timeout") == 900);
  CHECK(parsed->has("safety-checks"));
  CHECK(parsed->get<int>("lock-retries") == 3);
}

TEST_CASE("an option the user sets replaces the operator's default, and still parses",
          "[migration][contract]") {
  kube::Json object = testing::migration_job_object();
  object["spec"]["container"]["args"] =
      kube::Json::array({kube::Json::string("--lock-timeout=5"), kube::Json::string("--dir"),
                         kube::Json::string("/other")});
  std::vector<std::string> args = job_args(object);
  CHECK(std::count(args.begin(), args.end(), "--dir") == 1);
  Result<cli::Invocation> parsed = cli::parse_command_line(args);
  REQUIRE(parsed);
  CHECK(parsed->get<double>("lock-timeout") == 5);
  CHECK(parsed->get<std::string>("dir") == "/other");
}

TEST_CASE("the runner's report of success reads back, contract revisions included",
          "[migration][contract]") {
  std::string message = cli::termination_message(cli::Outcome{}, {"a1", "b2"}, {"c3"});
  std::optional<RunnerReport> report = parse_termination_message(message + "\n");
  REQUIRE(report);
  CHECK(report->succeeded);
  CHECK(report->revisions == std::vector<std::string>{"a1", "b2"});
  CHECK(report->contract_pending);
  CHECK(report->contract_revisions == std::vector<std::string>{"c3"});

  report = parse_termination_message(cli::termination_message(cli::Outcome{}, {"a1"}));
  REQUIRE(report);
  CHECK_FALSE(report->contract_pending);
}

TEST_CASE("every exit code the runner reports reads back as its kind and reason",
          "[migration][contract]") {
  const std::pair<ErrorCode, const char*> kExpected[] = {
      {ErrorCode::kMigrationFailed, reason::kMigrationFailed},
      {ErrorCode::kInvalid, reason::kInvalidMigrations},
      {ErrorCode::kUnreachable, reason::kDatabaseUnreachable},
      {ErrorCode::kLockTimeout, reason::kLockTimeout},
      {ErrorCode::kStateRefused, reason::kStateRefused},
  };
  MigrationJob object = read_migration_job(testing::migration_job_object());
  for (const auto& [code, expected_reason] : kExpected) {
    Error error(code, "what went wrong");
    cli::Outcome outcome{error.exit_code(), error};
    std::optional<RunnerReport> report =
        parse_termination_message(cli::termination_message(outcome, {}));
    REQUIRE(report);
    CHECK_FALSE(report->succeeded);
    CHECK(report->exit_code == static_cast<int>(code));
    CHECK(report->kind == to_string(code));
    CHECK(report->error == "what went wrong");
    CHECK(runner_contract::error_code_of_kind(report->kind) == code);
    CHECK(runner_contract::error_code_of_exit(report->exit_code) == code);
    JobProgress failed;
    failed.state = JobProgress::State::kFailed;
    CHECK(failure_advice(object, *object.spec, "job", failed, report).reason == expected_reason);
  }
  CHECK_FALSE(runner_contract::error_code_of_kind("exploded"));
  CHECK_FALSE(runner_contract::error_code_of_exit(0));
}
