// A transactional revision goes to the server as one pipeline (BEGIN, its
// statements, the version change) and a COMMIT: what the server says about
// any one statement must still be reported at that statement's line, a
// failure must leave the revisions before it committed and nothing of its
// own, a lock_timeout must still be retried, and no session setting may
// reach the next revision.
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

int line_of(const std::filesystem::path& file, const std::string& needle) {
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find(needle) != std::string::npos) return number;
  }
  FAIL("no line holds " << needle);
  return 0;
}

}  // namespace

TEST_CASE("a pipelined revision failing at its k-th statement: its line, earlier revisions kept",
          "[pipeline][failure]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE one (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
              "CREATE TABLE two (id int);\nINSERT INTO two VALUES (1), (2);\n");
  const std::string failing = "SELECT 1 / (count(*) - 1) FROM three_a; -- fails here\n";
  auto file = project.add("ccccccccccc3", {"bbbbbbbbbbb2"},
                          "CREATE TABLE three_a (id int);\n"
                          "INSERT INTO three_a VALUES (1);\n"
                          "CREATE TABLE three_b (\n  id int\n);\n" +
                              failing + "CREATE TABLE three_c (id int);\n");
  auto result = run_cli(project, db.url(), {"upgrade"});
  expect_exit(result, 1);
  // A division by zero has no position: the line is its statement's.
  CHECK_THAT(result.err,
             Catch::Contains(file.string() + ":" + std::to_string(line_of(file, "fails here")) +
                             ": up of revision ccccccccccc3"));
  CHECK_THAT(result.err, Catch::Contains("22012"));
  CHECK_THAT(result.err, Catch::Contains("rolled back"));
  CHECK(version_rows(db) == "bbbbbbbbbbb2");
  CHECK(db.table_exists("one"));
  CHECK(db.scalar("SELECT count(*) FROM two") == "2");
  for (const char* table : {"three_a", "three_b", "three_c"}) {
    INFO(table);
    CHECK_FALSE(db.table_exists(table));
  }
  CHECK(db.scalar("SELECT string_agg(revision || ' ' || direction || ' ' || outcome, ', ' "
                  "ORDER BY id) FROM schemagate_history") ==
        "aaaaaaaaaaa1 up succeeded, bbbbbbbbbbb2 up succeeded, ccccccccccc3 up failed");
  CHECK_THAT(db.scalar("SELECT error FROM schemagate_history WHERE outcome = 'failed'"),
             Catch::Contains("division by zero") &&
                 Catch::EndsWith(":" + std::to_string(line_of(file, "fails here")) + ")"));

  // Mended, the same revision goes through on the next run.
  std::string text((std::istreambuf_iterator<char>(std::ifstream(file).rdbuf())),
                   std::istreambuf_iterator<char>());
  text.replace(text.find("- 1)"), 4, "+ 1)");
  std::ofstream(file) << text;
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(version_rows(db) == "ccccccccccc3");
  CHECK(db.table_exists("three_c"));
}

TEST_CASE("a syntax error deep in a long body is reported at its file line",
          "[pipeline][failure]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE first (id int);\n");
  std::string body;
  for (int i = 0; i < 40; ++i) body += "CREATE TABLE t_" + std::to_string(i) + " (id int);\n";
  body += "CREATE TABLE broken (\n  id int,\n  name tex t -- the typo\n);\n";
  for (int i = 40; i < 50; ++i) body += "CREATE TABLE t_" + std::to_string(i) + " (id int);\n";
  auto file = project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, body);
  auto result = run_cli(project, db.url(), {"upgrade"});
  expect_exit(result, 1);
  const std::string where = file.string() + ":" + std::to_string(line_of(file, "the typo")) + ":";
  CHECK_THAT(result.err, Catch::Contains(where));
  CHECK_THAT(result.err, Catch::Contains("42601"));
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  CHECK(db.scalar("SELECT count(*) FROM pg_class WHERE relname LIKE 't\\_%'") == "0");
  CHECK_FALSE(db.table_exists("broken"));
  CHECK_THAT(db.scalar("SELECT error FROM schemagate_history WHERE outcome = 'failed'"),
             Catch::Contains(":" + std::to_string(line_of(file, "the typo")) + ")"));
}

TEST_CASE("a lock_timeout in the k-th statement rolls the revision back and retries it whole",
          "[pipeline][lock_timeout]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE busy (id int);\n");
  auto file = project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
                          "CREATE TABLE other (id int);\n"
                          "INSERT INTO other VALUES (1);\n"
                          "ALTER TABLE busy ADD COLUMN name text; -- waits\n");
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaa"}), 0);

  pqxx::connection blocker(db.url());
  pqxx::work holding(blocker);
  holding.exec("LOCK TABLE busy IN ACCESS SHARE MODE");
  auto runner = start_schemagate(project, db.url(),
                                 {"upgrade", "--log-format", "json", "--statement-lock-timeout",
                                  "0.2", "--lock-retries", "50"});
  // The first retry is announced with the line of the statement that waited.
  const std::string retried = "\"line\":" + std::to_string(line_of(file, "-- waits"));
  bool announced = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
       !announced && std::chrono::steady_clock::now() < deadline;) {
    std::string err = runner->stderr_so_far();
    size_t at = err.find("will be retried");
    announced = at != std::string::npos && err.find(retried, at) != std::string::npos &&
                err.find('\n', at) > err.find(retried, at);
    if (!announced) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(announced);
  // Each attempt rolled back: the first statement's table is not there.
  CHECK_FALSE(db.table_exists("other"));
  holding.abort();
  expect_exit(runner->wait(), 0);
  CHECK(version_rows(db) == "bbbbbbbbbbb2");
  CHECK(db.scalar("SELECT count(*) FROM other") == "1");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE revision = 'bbbbbbbbbbb2'") ==
        "1");
}

TEST_CASE("a session setting one revision makes does not reach the next", "[pipeline]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {},
              "CREATE SCHEMA side;\nSET search_path = side;\nCREATE TABLE one (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE TABLE two (id int);\n");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.scalar("SELECT to_regclass('side.one') IS NOT NULL") == "t");
  CHECK(db.scalar("SELECT to_regclass('public.two') IS NOT NULL") == "t");
  CHECK(version_rows(db) == "bbbbbbbbbbb2");
}
