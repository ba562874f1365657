#include "integration/support.h"
#include "sql/json_value.h"

using namespace schemagate::testing;
using schemagate::sql::JsonValue;

namespace {

/// The findings of `lint --format json` as (rule, lock table) pairs.
std::vector<std::pair<std::string, std::string>> findings_of(const std::string& json) {
  std::optional<JsonValue> report = JsonValue::parse(json);
  REQUIRE(report);
  std::vector<std::pair<std::string, std::string>> findings;
  for (const JsonValue& finding : *report->find("findings")->array()) {
    const JsonValue* lock = finding.find("lock");
    findings.emplace_back(*finding.find("rule")->string(),
                          lock != nullptr ? *lock->find("table")->string() : "");
  }
  return findings;
}

std::string revisions_of(const std::string& json) {
  std::optional<JsonValue> report = JsonValue::parse(json);
  REQUIRE(report);
  return *report->find("revisions")->number();
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
