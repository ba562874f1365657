#include <algorithm>

#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

const char* const kHead = "a84e1c9b3d72";

}  // namespace

TEST_CASE("the example goes up, down to base and up again to the same schema", "[roundtrip]") {
  TestDatabase db;
  auto project = Project::example("library");
  expect_exit(run_cli(*project, db.url(), {"upgrade", "heads"}), 0);
  std::string first = schema_dump(db.url());
  CHECK(version_rows(db) == kHead);
  CHECK(db.scalar("SELECT count(*) FROM books WHERE slug IS NOT NULL") == "3");

  auto current = run_cli(*project, db.url(), {"current"});
  expect_exit(current, 0);
  CHECK(current.out == std::string(kHead) + " (head)\n");
  auto history = run_cli(*project, db.url(), {"history", "--indicate-current"});
  expect_exit(history, 0);
  CHECK_THAT(history.out, Catch::StartsWith("5f0b8c2d6e17 -> a84e1c9b3d72 (head) (current), "));
  CHECK(std::count(history.out.begin(), history.out.end(), '\n') == 7);

  expect_exit(run_cli(*project, db.url(), {"downgrade", "base"}), 0);
  CHECK(version_rows(db).empty());
  CHECK_FALSE(db.table_exists("books"));
  CHECK(run_cli(*project, db.url(), {"current"}).out.empty());

  expect_exit(run_cli(*project, db.url(), {"upgrade", "heads"}), 0);
  CHECK(schema_dump(db.url()) == first);
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'up' AND "
                  "outcome = 'succeeded'") == "14");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'down'") == "7");
}

TEST_CASE("downgrade -1 from a merge keeps both parents as heads", "[roundtrip]") {
  TestDatabase db;
  auto project = Project::example("library");
  expect_exit(run_cli(*project, db.url(), {"upgrade", "5f0b8c2d6e17"}), 0);
  expect_exit(run_cli(*project, db.url(), {"downgrade", "-1"}), 0);
  CHECK(version_rows(db) == "1d6a9f3e7c58 e2c7b4a91f06");
  auto refused = run_cli(*project, db.url(), {"downgrade", "-1"});
  expect_exit(refused, 5);
  CHECK_THAT(refused.err, Catch::Contains("several current heads"));
  expect_exit(run_cli(*project, db.url(), {"downgrade", "loans"}), 0);
  CHECK(version_rows(db) == "1d6a9f3e7c58 e2c7b4a91f06");  // loans has no applied descendants
  expect_exit(run_cli(*project, db.url(), {"downgrade", "b73f05d8e2a4"}), 0);
  CHECK(version_rows(db) == "b73f05d8e2a4");
  CHECK_FALSE(db.table_exists("loans"));
  CHECK_FALSE(db.table_exists("reviews"));
}

TEST_CASE("upgrading one branch leaves the other for later", "[roundtrip]") {
  TestDatabase db;
  auto project = Project::example("library");
  expect_exit(run_cli(*project, db.url(), {"upgrade", "loans"}), 0);
  CHECK(version_rows(db) == "1d6a9f3e7c58");
  expect_exit(run_cli(*project, db.url(), {"upgrade", "e2c7"}), 0);
  CHECK(version_rows(db) == "1d6a9f3e7c58 e2c7b4a91f06");
  expect_exit(run_cli(*project, db.url(), {"upgrade", "+1"}), 5);
  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  CHECK(version_rows(db) == kHead);
}

TEST_CASE("stamp moves the version rows without running migrations", "[roundtrip]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE stamped_a (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE TABLE stamped_b (id int);\n");
  expect_exit(run_cli(project, db.url(), {"stamp", "aaaa"}), 0);
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  CHECK_FALSE(db.table_exists("stamped_a"));
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.table_exists("stamped_b"));
  CHECK_FALSE(db.table_exists("stamped_a"));
  expect_exit(run_cli(project, db.url(), {"stamp", "base"}), 0);
  CHECK(version_rows(db).empty());
}

TEST_CASE("check exits 1 while migrations are pending and 0 at head", "[roundtrip]") {
  TestDatabase db;
  auto project = Project::example("library");
  auto pending = run_cli(*project, db.url(), {"check"});
  expect_exit(pending, 1);
  CHECK_THAT(pending.out, Catch::Contains("pending 9c1e4b7a2f30"));
  CHECK_FALSE(db.table_exists("schemagate_version"));  // check writes nothing
  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  expect_exit(run_cli(*project, db.url(), {"check"}), 0);
}

TEST_CASE("a dry run plans against the database and changes nothing", "[roundtrip]") {
  TestDatabase db;
  auto project = Project::example("library");
  auto dry = run_cli(*project, db.url(), {"upgrade", "heads", "--dry-run"});
  expect_exit(dry, 0);
  CHECK_THAT(dry.out, Catch::StartsWith("upgrade 9c1e4b7a2f30, create books table\n"));
  CHECK_FALSE(db.table_exists("books"));
  CHECK_FALSE(db.table_exists("schemagate_version"));
}

TEST_CASE("offline SQL from --sql applies with psql to the same result", "[roundtrip]") {
  TestDatabase offline_db;
  TestDatabase online_db;
  auto project = Project::example("library");
  auto sql = run_cli(*project, "postgresql://nobody@127.0.0.1:1/none", {"upgrade", "--sql"});
  expect_exit(sql, 0);
  CHECK_THAT(sql.out, Catch::Contains("CREATE INDEX CONCURRENTLY books_title_idx"));
  TempDir dir;
  auto file = dir.write("upgrade.sql", sql.out);
  const char* pgbin = std::getenv("PGBIN");
  auto psql = run_process({std::string(pgbin ? pgbin : "/usr/bin") + "/psql", "-X", "-q", "-v",
                           "ON_ERROR_STOP=1", "-f", file.string(), offline_db.url()});
  expect_exit(psql, 0);
  expect_exit(run_cli(*project, online_db.url(), {"upgrade"}), 0);
  CHECK(version_rows(offline_db) == version_rows(online_db));
  CHECK(schema_dump(offline_db.url()) == schema_dump(online_db.url()));
}
