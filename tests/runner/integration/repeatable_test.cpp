#include <fstream>

#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

/// Writes (or rewrites) a repeatable revision into the project.
void write_repeatable(const Project& project, const std::string& id, const std::string& message,
                      const std::string& up) {
  std::ofstream file(project.root() / "versions" / (id + "_repeatable.sql"), std::ios::trunc);
  file << "-- schemagate:revision " << id << "\n-- schemagate:message " << message
       << "\n-- schemagate:repeatable true\n\n-- schemagate:up\n"
       << up;
}

std::string repeat_rows(TestDatabase& db, const std::string& id, const std::string& outcome) {
  return db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'repeat' AND "
                   "revision = '" + id + "' AND outcome = '" + outcome + "'");
}

/// A table and a repeatable view over it.
void view_project(Project& project) {
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE items (id int, name text);\n",
              "DROP TABLE items;\n");
  write_repeatable(project, "rv_items", "items view",
                   "CREATE OR REPLACE VIEW item_names AS SELECT name FROM items;\n");
}

}  // namespace

TEST_CASE("a repeatable runs after the heads, once, and again when its file changes",
          "[repeatable]") {
  TestDatabase db;
  Project project;
  view_project(project);

  auto check = run_cli(project, db.url(), {"check"});
  expect_exit(check, 1);
  CHECK_THAT(check.out, Catch::Contains("pending rv_items (repeatable)"));

  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.scalar("SELECT count(*) FROM item_names") == "0");
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "1");
  expect_exit(run_cli(project, db.url(), {"check"}), 0);
  auto current = run_cli(project, db.url(), {"current"});
  expect_exit(current, 0);
  CHECK_THAT(current.out, Catch::Contains("rv_items (repeatable), items view"));

  // A re-run finds nothing to do.
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "1");

  // Edited: pending for check and dry-run, applied once by the next upgrade.
  write_repeatable(project, "rv_items", "items view",
                   "CREATE OR REPLACE VIEW item_names AS SELECT name, id FROM items;\n");
  check = run_cli(project, db.url(), {"check"});
  expect_exit(check, 1);
  CHECK_THAT(check.out, Catch::Contains("pending rv_items (repeatable)"));
  auto dry = run_cli(project, db.url(), {"upgrade", "--dry-run"});
  expect_exit(dry, 0);
  CHECK_THAT(dry.out, Catch::Contains("repeat rv_items, items view"));
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "1");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "2");
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                  "'item_names'") == "2");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "2");

  // downgrade and stamp leave repeatables alone.
  expect_exit(run_cli(project, db.url(), {"stamp", "aaaaaaaaaaa1"}), 0);
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "2");
}

TEST_CASE("a partial upgrade leaves repeatables alone", "[repeatable]") {
  TestDatabase db;
  Project project;
  view_project(project);
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "ALTER TABLE items ADD COLUMN price int;\n");
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaaaaaaaaa1"}), 0);
  CHECK_FALSE(db.table_exists("item_names"));
  expect_exit(run_cli(project, db.url(), {"upgrade", "heads"}), 0);
  CHECK(db.table_exists("item_names"));
}

TEST_CASE("a failing repeatable rolls back, is recorded, and keeps the versioned revisions",
          "[repeatable]") {
  TestDatabase db;
  Project project;
  view_project(project);
  write_repeatable(project, "rz_broken", "zz broken",
                   "CREATE OR REPLACE VIEW broken_half AS SELECT 1 AS one;\n"
                   "CREATE OR REPLACE VIEW broken AS SELECT missing FROM items;\n");
  auto result = run_cli(project, db.url(), {"upgrade"});
  expect_exit(result, 1);
  CHECK_THAT(result.err, Catch::Contains("rz_broken_repeatable.sql:7") &&
                             Catch::Contains("42703"));
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  // "items view" sorts before "zz broken": it ran and stays.
  CHECK(db.table_exists("item_names"));
  CHECK_FALSE(db.table_exists("broken_half"));
  CHECK(repeat_rows(db, "rz_broken", "failed") == "1");
  CHECK(repeat_rows(db, "rz_broken", "succeeded") == "0");
  auto check = run_cli(project, db.url(), {"check"});
  expect_exit(check, 1);
  CHECK_THAT(check.out, Catch::Contains("pending rz_broken (repeatable)"));

  write_repeatable(project, "rz_broken", "zz broken",
                   "CREATE OR REPLACE VIEW broken AS SELECT name FROM items;\n");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.table_exists("broken"));
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "1");
}

TEST_CASE("upgrade --sql prints the repeatables after the versioned SQL", "[repeatable]") {
  Project project;
  view_project(project);
  auto result = run_cli(project, "", {"upgrade", "heads", "--sql"});
  expect_exit(result, 0);
  size_t versioned = result.out.find("CREATE TABLE items");
  size_t repeatable = result.out.find("CREATE OR REPLACE VIEW item_names");
  REQUIRE(versioned != std::string::npos);
  REQUIRE(repeatable != std::string::npos);
  CHECK(versioned < repeatable);
  CHECK_THAT(result.out, Catch::Contains("'repeat'"));
  // Short of the heads, no repeatable.
  auto partial = run_cli(project, "", {"upgrade", "base:base", "--sql"});
  expect_exit(partial, 0);
  CHECK_THAT(partial.out, !Catch::Contains("item_names"));
}

TEST_CASE("racing runners apply a changed repeatable exactly once", "[repeatable][concurrency]") {
  TestDatabase db;
  Project project;
  view_project(project);
  auto race = [&]() {
    std::vector<std::unique_ptr<Process>> runners;
    for (int i = 0; i < 16; ++i) {
      runners.push_back(start_schemagate(project, db.url(), {"upgrade", "--lock-timeout", "120"}));
    }
    for (auto& runner : runners) expect_exit(runner->wait(), 0);
  };
  race();
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "1");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'up'") == "1");
  write_repeatable(project, "rv_items", "items view",
                   "CREATE OR REPLACE VIEW item_names AS SELECT name, id FROM items;\n");
  race();
  CHECK(repeat_rows(db, "rv_items", "succeeded") == "2");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'up'") == "1");
}
