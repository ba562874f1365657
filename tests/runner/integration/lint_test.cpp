#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "runner/integration/support.h"

using namespace schemagate::testing;
using Json = nlohmann::json;

namespace {

/// The findings of `lint --format json` as (rule, lock table) pairs.
std::vector<std::pair<std::string, std::string>> findings_of(const std::string& json) {
  Json report = Json::parse(json, nullptr, false);
  REQUIRE(report.is_object());
  REQUIRE(report["findings"].is_array());
  std::vector<std::pair<std::string, std::string>> findings;
  for (const Json& finding : report["findings"]) {
    findings.emplace_back(finding.at("rule").get<std::string>(),
                          finding.contains("lock") ? finding["lock"].at("table").get<std::string>()
                                                   : "");
  }
  return findings;
}

std::string revisions_of(const std::string& json) {
  Json report = Json::parse(json, nullptr, false);
  REQUIRE(report.is_object());
  REQUIRE(report["revisions"].is_number_integer());
  return std::to_string(report["revisions"].get<long>());
}

}  // namespace

TEST_CASE("lint reads sizes, types and constraints from the live database and checks only "
          "pending revisions", "[lint]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {},
              "CREATE TABLE big (id bigint PRIMARY KEY, a int, name varchar(50), flag int);\n"
              "CREATE TABLE quiet (a int);\n"
              "CREATE INDEX big_name_idx ON big (name);\n"
              "ALTER TABLE big ADD CONSTRAINT big_flag_nn CHECK (flag IS NOT NULL);\n");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  {
    pqxx::nontransaction fill(db.connection());
    fill.exec("INSERT INTO big SELECT g, g, 'n' || g, 1 FROM generate_series(1, 1000) g");
    fill.exec("ANALYZE big");
  }
  project.add("bbbbbbbbbbb1", {"aaaaaaaaaaa1"},
              "CREATE INDEX big_a_idx ON big (a);\n"               // rows: flagged
              "CREATE INDEX quiet_a_idx ON quiet (a);\n"           // empty: not
              "CREATE TABLE fresh (a int);\n"
              "CREATE INDEX fresh_a_idx ON fresh (a);\n"           // created here: not
              "ALTER TABLE big ALTER COLUMN name TYPE text;\n"     // varchar to text: no rewrite
              "ALTER TABLE big ALTER COLUMN flag SET NOT NULL;\n"  // validated CHECK: no scan
              "ALTER TABLE big ADD COLUMN c int DEFAULT 0;\n"      // constant default on 11+
              "ALTER TABLE big ALTER COLUMN a SET NOT NULL;\n"     // scans: flagged
              "DROP INDEX big_name_idx;\n");                       // the index's table: big

  auto live = run_cli(project, db.url(), {"lint", "--format", "json"});
  expect_exit(live, 1);
  CHECK(revisions_of(live.out) == "1");
  auto findings = findings_of(live.out);
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].first == "require-concurrent-index-creation");
  CHECK_THAT(findings[0].second, Catch::StartsWith("big (about 1000 rows"));
  CHECK(findings[1].first == "adding-not-nullable-field");
  CHECK(findings[2].first == "require-concurrent-index-deletion");
  CHECK_THAT(findings[2].second, Catch::StartsWith("public.big (about 1000 rows"));

  // Without the database every revision is checked and nothing is known.
  auto offline = run_cli(project, "", {"lint", "--format", "json"});
  expect_exit(offline, 1);
  CHECK(revisions_of(offline.out) == "2");
  auto guessed = findings_of(offline.out);
  CHECK(guessed.size() > findings.size());
}

TEST_CASE("lint with a database checks what the example has not applied yet", "[lint]") {
  TestDatabase db;
  auto project = Project::example("library");
  expect_exit(run_cli(*project, db.url(), {"upgrade", "4e8d2a6c1b95"}), 0);
  auto pending = run_cli(*project, db.url(), {"lint", "--format", "json"});
  expect_exit(pending, 0);
  CHECK(revisions_of(pending.out) == "5");
  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  auto none = run_cli(*project, db.url(), {"lint"});
  expect_exit(none, 0);
  CHECK(none.out == "0 error(s), 0 warning(s) in 0 revision(s)\n");
}

namespace {

/// Polls `sql` (one boolean) on `db` until true; fails the test after a minute.
void wait_until(TestDatabase& db, const std::string& sql) {
  for (int i = 0; i < 600; ++i) {
    if (db.scalar(sql) == "t") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("condition never held: " << sql);
}

}  // namespace

TEST_CASE("upgrade --safety-checks stops at lint errors before anything runs", "[lint][safety]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa2", {}, "CREATE TABLE big (id bigint PRIMARY KEY, a int);\n"
                                  "INSERT INTO big SELECT g, g FROM generate_series(1, 500) g;\n");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa2"}, "ALTER TABLE big ADD COLUMN c int;\n"
                                                "CREATE INDEX big_a_idx ON big (a);\n");
  auto refused = run_cli(project, db.url(), {"upgrade", "--safety-checks"});
  expect_exit(refused, 1);
  CHECK_THAT(refused.err, Catch::Contains("require-concurrent-index-creation"));
  CHECK_THAT(refused.err, Catch::Contains("bbbbbbbbbbb2_test.sql"));
  CHECK_THAT(refused.err, Catch::Contains("nothing was applied"));
  CHECK(version_rows(db) == "aaaaaaaaaaa2");
  CHECK(db.scalar("SELECT count(*) FROM pg_attribute WHERE attrelid = 'big'::regclass "
                  "AND attname = 'c'") == "0");
}

TEST_CASE("upgrade --safety-checks waits for a session holding the table, then stops or goes on",
          "[lint][safety]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa3", {}, "CREATE TABLE big (id bigint PRIMARY KEY, a int);\n"
                                  "INSERT INTO big SELECT g, g FROM generate_series(1, 500) g;\n");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  project.add("bbbbbbbbbbb3", {"aaaaaaaaaaa3"}, "SELECT 1;\nALTER TABLE big ADD COLUMN c int;\n");

  // An application session that read the table and left its transaction open.
  pqxx::connection holder(db.url());
  auto open = std::make_unique<pqxx::work>(holder);
  open->exec("SELECT count(*) FROM big");
  const std::string holder_pid = std::to_string(holder.backendpid());

  auto stopped = run_cli(project, db.url(), {"upgrade", "--safety-checks",
                                             "--statement-lock-timeout", "0.5",
                                             "--lock-retries", "1"});
  expect_exit(stopped, 1);
  CHECK_THAT(stopped.err, Catch::Contains("bbbbbbbbbbb3_test.sql:7: ACCESS EXCLUSIVE on big"));
  CHECK_THAT(stopped.err, Catch::Contains("pid " + holder_pid));
  CHECK_THAT(stopped.err, Catch::Contains("idle in transaction"));
  CHECK(version_rows(db) == "aaaaaaaaaaa3");

  // The same upgrade waits outside the lock queue, and goes on once the
  // session ends: it never held up the holder's table for others.
  auto waiting = start_schemagate(project, db.url(), {"upgrade", "--safety-checks",
                                                      "--statement-lock-timeout", "30"});
  wait_until(db, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name LIKE "
                 "'schemagate/%' AND query LIKE '%FROM pg_locks%')");
  CHECK(db.scalar("SELECT count(*) FROM pg_locks WHERE NOT granted") == "0");
  open->commit();
  ProcessResult done = waiting->wait();
  expect_exit(done, 0);
  CHECK(version_rows(db) == "bbbbbbbbbbb3");

  // A reader does not hold up CREATE INDEX (SHARE lets ACCESS SHARE be).
  project.add("ccccccccccc3", {"bbbbbbbbbbb3"}, "CREATE INDEX big_a_idx ON big (a);\n", "",
              "-- schemagate:lint-ignore require-concurrent-index-creation a test of the gate\n");
  pqxx::work reader(holder);
  reader.exec("SELECT count(*) FROM big");
  auto beside_reader = run_cli(project, db.url(), {"upgrade", "--safety-checks",
                                                   "--statement-lock-timeout", "0.5",
                                                   "--lock-retries", "0"});
  expect_exit(beside_reader, 0);
  CHECK(version_rows(db) == "ccccccccccc3");
}
