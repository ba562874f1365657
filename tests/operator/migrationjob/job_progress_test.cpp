#include <catch2/catch.hpp>

#include "migrationjob/job_progress.h"
#include "operator/migrationjob/fixtures.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using State = JobProgress::State;

TEST_CASE("a Job's progress is read from the conditions the Job controller writes", "[migration]") {
  CHECK(read_job_progress(testing::job_with_status("{}")).state == State::kPending);
  JobProgress running = read_job_progress(
      testing::job_with_status(R"({"active": 1, "failed": 1, "startTime": "2026-11-22T05:00:00Z"})"));
  CHECK(running.state == State::kRunning);
  CHECK(running.attempts == 2);
  CHECK_FALSE(running.finished());

  JobProgress done = read_job_progress(testing::job_with_status(R"({"succeeded": 1,
      "startTime": "2026-11-22T05:00:00Z", "completionTime": "2026-11-22T05:01:00Z",
      "conditions": [{"type": "SuccessCriteriaMet", "status": "True"},
                     {"type": "Complete", "status": "True"}]})"));
  CHECK(done.state == State::kSucceeded);
  CHECK(done.completion_time == "2026-11-22T05:01:00Z");

  JobProgress failed = read_job_progress(testing::job_with_status(R"({"failed": 3,
      "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                      "message": "Job has reached the specified backoff limit",
                      "lastTransitionTime": "2026-11-22T05:02:00Z"}]})"));
  CHECK(failed.state == State::kFailed);
  CHECK(failed.reason == "BackoffLimitExceeded");
  CHECK(failed.completion_time == "2026-11-22T05:02:00Z");
  CHECK(failed.attempts == 3);
}

TEST_CASE("the runner's termination message is read, JSON or the log lines kept instead",
          "[migration]") {
  auto ok = parse_termination_message(R"({"outcome":"succeeded","revisions":["a1","b2"]})" "\n");
  REQUIRE(ok);
  CHECK(ok->succeeded);
  CHECK(ok->revisions == std::vector<std::string>{"a1", "b2"});

  auto failed = parse_termination_message(
      R"({"outcome":"failed","exitCode":1,"kind":"migration-failed","error":"v2.sql:7: boom"})");
  REQUIRE(failed);
  CHECK_FALSE(failed->succeeded);
  CHECK(failed->error == "v2.sql:7: boom");
  CHECK(failed->exit_code == 1);
  CHECK(failed->kind == "migration-failed");
  auto odd = parse_termination_message(R"({"outcome":"failed","exitCode":"x","kind":7})");
  REQUIRE(odd);
  CHECK(odd->exit_code == 0);
  CHECK(odd->kind.empty());

  auto log_line = parse_termination_message(
      "{\"time\":\"t\",\"level\":\"info\",\"msg\":\"starting\"}\n"
      "{\"time\":\"t\",\"level\":\"error\",\"msg\":\"database unreachable\"}\n");
  REQUIRE(log_line);
  CHECK(log_line->error == "database unreachable");
  CHECK(parse_termination_message("Killed\n")->error == "Killed");
  CHECK_FALSE(parse_termination_message(" \n"));
}

TEST_CASE("the termination message of the last attempt is the one reported", "[migration]") {
  auto pod = [](const std::string& finished, const std::string& message) {
    return Json::parse(R"({"status": {"containerStatuses": [{"name": "migrate", "state":
        {"terminated": {"finishedAt": ")" + finished + R"(", "message": ")" + message + R"("}}}]}})");
  };
  CHECK(runner_termination_message({pod("2026-11-22T05:02:00Z", "second"),
                                    pod("2026-11-22T05:01:00Z", "first")}) == "second");
  CHECK(runner_termination_message({}).empty());
}
