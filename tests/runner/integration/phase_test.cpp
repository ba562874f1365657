// Expand and contract phases against a real PostgreSQL: `upgrade --phase
// expand` leaves the old application's column in place, `check`, `wait` and
// `current` tell "expanded, contract pending" from "fully migrated", and
// `upgrade --phase contract` finishes the job.
#include <fstream>

#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

const std::string kContract = "-- schemagate:phase contract\n";

/// People with an old_name column (what version 1 of the application reads),
/// then the expand revision adding new_name with a backfill and the contract
/// revision dropping old_name.
struct Renaming {
  TestDatabase db;
  Project project;
  Renaming() {
    project.add("aaaaaaaaaaa1", {},
                "CREATE TABLE people (id int PRIMARY KEY, old_name text);\n"
                "INSERT INTO people VALUES (1, 'Ada');\n");
    expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
    project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
                "ALTER TABLE people ADD COLUMN new_name text;\n"
                "UPDATE people SET new_name = old_name;\n",
                "ALTER TABLE people DROP COLUMN new_name;\n");
    project.add("ccccccccccc3", {"bbbbbbbbbbb2"}, "ALTER TABLE people DROP COLUMN old_name;\n",
                "ALTER TABLE people ADD COLUMN old_name text;\n", kContract);
  }
  bool has_column(const std::string& name) {
    return db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                     "'people' AND column_name = '" + name + "'") == "1";
  }
};

std::string read_text(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

}  // namespace

TEST_CASE("expand keeps the old column, contract drops it, check, wait and current tell them apart",
          "[phase]") {
  Renaming r;
  TempDir dir;
  const std::string report = (dir.path() / "termination-log").string();

  expect_exit(run_cli(r.project, r.db.url(), {"check", "--phase", "expand"}), 1);
  expect_exit(run_cli(r.project, r.db.url(), {"wait", "--phase", "expand", "--timeout", "0"}), 4);

  expect_exit(run_cli(r.project, r.db.url(),
                      {"upgrade", "--phase", "expand", "--termination-log", report}),
              0);
  CHECK(version_rows(r.db) == "bbbbbbbbbbb2");
  CHECK(r.has_column("old_name"));
  CHECK(r.db.scalar("SELECT new_name FROM people WHERE id = 1") == "Ada");
  CHECK(read_text(report) ==
        "{\"outcome\":\"succeeded\",\"revisions\":[\"bbbbbbbbbbb2\"],\"contractPending\":true,"
        "\"contractRevisions\":[\"ccccccccccc3\"]}\n");

  auto current = run_cli(r.project, r.db.url(), {"current"});
  expect_exit(current, 0);
  CHECK(current.out == "bbbbbbbbbbb2\nexpanded, contract pending: ccccccccccc3\n");

  auto check = run_cli(r.project, r.db.url(), {"check"});
  expect_exit(check, 1);
  CHECK(check.out == "pending ccccccccccc3 (contract)\n");
  auto expanded = run_cli(r.project, r.db.url(), {"check", "--phase", "expand"});
  expect_exit(expanded, 0);
  CHECK_THAT(expanded.err, Catch::Contains("expanded, contract pending"));
  expect_exit(run_cli(r.project, r.db.url(), {"wait", "--phase", "expand", "--timeout", "0"}), 0);
  expect_exit(run_cli(r.project, r.db.url(), {"wait", "--timeout", "0"}), 4);

  // A second expand run has nothing to do and still reports the contract work.
  expect_exit(run_cli(r.project, r.db.url(),
                      {"upgrade", "--phase", "expand", "--termination-log", report}),
              0);
  CHECK_THAT(read_text(report), Catch::Contains("\"contractPending\":true"));

  expect_exit(run_cli(r.project, r.db.url(),
                      {"upgrade", "--phase", "contract", "--termination-log", report}),
              0);
  CHECK(version_rows(r.db) == "ccccccccccc3");
  CHECK_FALSE(r.has_column("old_name"));
  CHECK(read_text(report) == "{\"outcome\":\"succeeded\",\"revisions\":[\"ccccccccccc3\"]}\n");
  current = run_cli(r.project, r.db.url(), {"current"});
  CHECK(current.out == "ccccccccccc3 (head)\n");
  expect_exit(run_cli(r.project, r.db.url(), {"check"}), 0);
  expect_exit(run_cli(r.project, r.db.url(), {"wait", "--timeout", "0"}), 0);
}

TEST_CASE("an expand revision below a pending contract revision waits for the contract phase",
          "[phase]") {
  Renaming r;
  r.project.add("ddddddddddd4", {"ccccccccccc3"}, "CREATE TABLE after_drop (id int);\n");
  TempDir dir;
  const std::string report = (dir.path() / "termination-log").string();
  expect_exit(run_cli(r.project, r.db.url(),
                      {"upgrade", "--phase", "expand", "--termination-log", report}),
              0);
  CHECK(version_rows(r.db) == "bbbbbbbbbbb2");
  CHECK_FALSE(r.db.table_exists("after_drop"));
  CHECK_THAT(read_text(report),
             Catch::Contains("\"contractRevisions\":[\"ccccccccccc3\",\"ddddddddddd4\"]"));
  auto check = run_cli(r.project, r.db.url(), {"check"});
  CHECK(check.out == "pending ccccccccccc3 (contract)\npending ddddddddddd4 (contract)\n");

  expect_exit(run_cli(r.project, r.db.url(), {"upgrade", "--phase", "contract"}), 0);
  CHECK(r.db.table_exists("after_drop"));
  CHECK(version_rows(r.db) == "ddddddddddd4");
}

TEST_CASE("plain upgrade applies both phases, as before", "[phase]") {
  Renaming r;
  expect_exit(run_cli(r.project, r.db.url(), {"upgrade"}), 0);
  CHECK(version_rows(r.db) == "ccccccccccc3");
  CHECK_FALSE(r.has_column("old_name"));
}

TEST_CASE("a bad --phase is exit 2 and changes nothing", "[phase][validation]") {
  Renaming r;
  auto bad = run_cli(r.project, r.db.url(), {"upgrade", "--phase", "later"});
  expect_exit(bad, 2);
  CHECK_THAT(bad.err, Catch::Contains("--phase must be 'expand', 'contract' or 'all', not 'later'"));
  CHECK(version_rows(r.db) == "aaaaaaaaaaa1");
  expect_exit(run_cli(r.project, r.db.url(), {"wait", "--phase", "later", "--timeout", "0"}), 2);
}

TEST_CASE("the offline script of the expand phase stops before the contract revision",
          "[phase]") {
  Renaming r;
  auto sql = run_cli(r.project, r.db.url(), {"upgrade", "aaaaaaaaaaa1:heads", "--sql", "--phase",
                                             "expand"});
  expect_exit(sql, 0);
  CHECK_THAT(sql.out, Catch::Contains("ADD COLUMN new_name"));
  CHECK_THAT(sql.out, !Catch::Contains("DROP COLUMN old_name"));
}
