#include <catch2/catch.hpp>

#include "migrationjob/failure_advice.h"
#include "operator/migrationjob/fixtures.h"

using namespace schemagate;
using namespace schemagate::migrationjob;

namespace {

const std::string kJob = "shop-migrate-3-abcd";

FailureAdvice advise(const std::optional<RunnerReport>& report, JobProgress progress = {}) {
  static const MigrationJob object = read_migration_job(testing::migration_job_object());
  progress.state = JobProgress::State::kFailed;
  if (progress.reason.empty()) progress.reason = "BackoffLimitExceeded";
  return failure_advice(object, *object.spec, kJob, progress, report);
}

RunnerReport failed(int exit_code, const std::string& kind, const std::string& error) {
  return RunnerReport{false, {}, error, exit_code, kind, false, {}};
}

const char* kRunAgain =
    "kubectl -n shop patch migrationjob shop-migrate --type merge -p "
    "'{\"spec\":{\"podTemplate\":{\"metadata\":{\"annotations\":{\"schemagate.io/run\":\"4\"}}}}}'";

}  // namespace

TEST_CASE("a failed migration says to fix the file and re-apply with a new image",
          "[migration][advice]") {
  FailureAdvice advice =
      advise(failed(1, "migration-failed", "versions/b2.sql:7: division by zero"));
  CHECK(advice.reason == "MigrationFailed");
  CHECK_THAT(advice.message,
             Catch::StartsWith("Job shop-migrate-3-abcd failed: versions/b2.sql:7: division by "
                               "zero. Fix: correct the migration") &&
                 Catch::Contains("kubectl -n shop patch migrationjob shop-migrate --type merge "
                                 "-p '{\"spec\":{\"image\":\"NEW-IMAGE\"}}'"));
}

TEST_CASE("invalid migrations name the image to fix", "[migration][advice]") {
  FailureAdvice advice = advise(failed(2, "invalid", "versions/c3.sql: unknown parent zz."));
  CHECK(advice.reason == "InvalidMigrations");
  CHECK_THAT(advice.message, Catch::Contains("unknown parent zz. Fix:") &&
                                 Catch::Contains("registry.example/shop-migrations:1.4.0"));
}

TEST_CASE("a changed applied file asks for schemagate repair in a pod of the image",
          "[migration][advice]") {
  FailureAdvice advice = advise(failed(
      5, "state-refused",
      "applied migrations changed since they were applied:\n  b2 (versions/b2.sql)\nrevert the "
      "files, or run `schemagate repair` to accept them, or pass --allow-changed for this run"));
  CHECK(advice.reason == "StateRefused");
  CHECK_THAT(advice.message, Catch::Contains("Fix: run `schemagate repair` as the error explains"));
  CHECK_THAT(advice.message,
             Catch::Contains("kubectl -n shop run shop-migrate-fix --rm -i --restart=Never "
                             "--image=registry.example/shop-migrations:1.4.0") &&
                 Catch::Contains("\"args\":[\"--dir\",\"/migrations\",\"repair\"]") &&
                 Catch::Contains("\"secretKeyRef\":{\"name\":\"shop-db\",\"key\":\"url\"}"));
  CHECK_THAT(advice.message, Catch::EndsWith(std::string("then run it again: ") + kRunAgain));
}

TEST_CASE("a half-applied non-transactional revision names stamp and repair, in order",
          "[migration][advice]") {
  FailureAdvice advice = advise(failed(
      5, "state-refused",
      "revision c3 (up, not transactional) started at 2026-11-22 did not complete: boom. The "
      "database may be half migrated. Run the statements of versions/c3.sql from line 4 by hand, "
      "then `schemagate stamp c3`; or undo the ones before them by hand, then `schemagate "
      "repair` (which clears the failure) and `schemagate upgrade` to run the revision again"));
  CHECK(advice.reason == "StateRefused");
  CHECK_THAT(advice.message, Catch::Contains("Fix: run `schemagate stamp c3` or `schemagate "
                                             "repair` as the error explains"));
  CHECK_THAT(advice.message, Catch::Contains("\"args\":[\"--dir\",\"/migrations\",\"stamp\",\"c3\"]") &&
                                 Catch::Contains("\"args\":[\"--dir\",\"/migrations\",\"repair\"]"));
  CHECK_THAT(advice.message, !Catch::Contains("\"upgrade\"]"));
}

TEST_CASE("a state refusal without a command says to resolve it and run again",
          "[migration][advice]") {
  FailureAdvice advice = advise(failed(5, "", "several current heads where one is needed"));
  CHECK(advice.reason == "StateRefused");
  CHECK_THAT(advice.message, Catch::Contains("resolve what the error names") &&
                                 Catch::EndsWith(kRunAgain));
}

TEST_CASE("unreachable and lock timeouts say what to check, from the exit code alone",
          "[migration][advice]") {
  FailureAdvice unreachable = advise(failed(3, "", "connection refused"));
  CHECK(unreachable.reason == "DatabaseUnreachable");
  CHECK_THAT(unreachable.message, Catch::Contains("Secret shop/shop-db (key url)") &&
                                      Catch::EndsWith(kRunAgain));
  FailureAdvice lock = advise(failed(4, "lock-timeout", "lock not acquired after 900 s"));
  CHECK(lock.reason == "LockTimeout");
  CHECK_THAT(lock.message, Catch::Contains("spec.activeDeadlineSeconds (900 s)") &&
                               Catch::Contains("pg_stat_activity"));
}

TEST_CASE("without a report, the Job's condition and the pod's log", "[migration][advice]") {
  JobProgress deadline;
  deadline.reason = "DeadlineExceeded";
  deadline.message = "Job was active longer than specified deadline";
  FailureAdvice late = advise(std::nullopt, deadline);
  CHECK(late.reason == "DeadlineExceeded");
  CHECK_THAT(late.message, Catch::Contains("longer than specified deadline. Fix:") &&
                               Catch::Contains("kubectl -n shop logs job/shop-migrate-3-abcd"));

  FailureAdvice none = advise(std::nullopt);
  CHECK(none.reason == "BackoffLimitExceeded");
  CHECK_THAT(none.message, Catch::Contains("read the runner's log") && Catch::EndsWith(kRunAgain));

  // FallbackToLogsOnError: the last log line, no kind.
  FailureAdvice logged = advise(RunnerReport{false, {}, "panic: out of memory", 0, "", false, {}});
  CHECK(logged.reason == "BackoffLimitExceeded");
  CHECK_THAT(logged.message, Catch::Contains("failed: panic: out of memory. Fix:"));
}
