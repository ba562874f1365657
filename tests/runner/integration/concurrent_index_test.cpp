#include <chrono>
#include <random>
#include <thread>

#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

const std::string kNoTransaction = "-- schemagate:transactional false\n";

/// Waits until `sql` (one boolean) is true on `db`.
bool wait_until(TestDatabase& db, const std::string& sql) {
  for (int i = 0; i < 600; ++i) {
    if (db.scalar(sql) == "t") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string invalid_index_exists(const std::string& name) {
  return "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
         "WHERE c.relname = '" + name + "' AND NOT i.indisvalid)";
}

std::string count_invalid_indexes() {
  return "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
         "JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE n.nspname = 'public' AND NOT i.indisvalid";
}

}  // namespace

TEST_CASE("a CREATE INDEX CONCURRENTLY that hit lock_timeout is rebuilt, not a 42P07",
          "[concurrent_index][lock_timeout]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE busy (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE INDEX CONCURRENTLY busy_id ON busy (id);\n",
              "DROP INDEX CONCURRENTLY IF EXISTS busy_id;\n", kNoTransaction);
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaa"}), 0);

  // An open writer: the build creates its INVALID index, then waits for the
  // writer and times out, leaving the index behind.
  pqxx::connection writer(db.url());
  pqxx::work writing(writer);
  writing.exec("INSERT INTO busy VALUES (1)");
  auto runner = start_schemagate(project, db.url(),
                                 {"upgrade", "--statement-lock-timeout", "0.3", "--lock-retries",
                                  "1000"});
  REQUIRE(wait_until(db, invalid_index_exists("busy_id")));
  // The build timed out and the retry is dropping its leftover (it waits
  // for the writer too).
  REQUIRE(wait_until(db, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                         "AND query LIKE 'DROP INDEX CONCURRENTLY IF EXISTS%')"));
  writing.commit();
  auto result = runner->wait();
  expect_exit(result, 0);
  CHECK_THAT(result.err, Catch::Contains("dropping the INVALID index"));
  CHECK(version_rows(db) == "bbbbbbbbbbb2");
  CHECK(db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'busy_id'::regclass") == "t");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE blocking") == "0");
}

TEST_CASE("a runner killed during CREATE INDEX CONCURRENTLY: the next run reports and rebuilds",
          "[concurrent_index][crash]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE crashy (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS crashy_id ON crashy (id);\n", "",
              kNoTransaction);
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaa"}), 0);

  pqxx::connection writer(db.url());
  pqxx::work writing(writer);
  writing.exec("INSERT INTO crashy VALUES (1)");
  auto runner = start_schemagate(project, db.url(), {"upgrade", "--statement-lock-timeout", "60"});
  REQUIRE(wait_until(db, invalid_index_exists("crashy_id")));
  runner->kill_hard();
  runner->wait();
  writing.commit();
  REQUIRE(wait_until(db, "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() "
                         "AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND pid <> pg_backend_pid()"));
  CHECK_THAT(db.scalar("SELECT error FROM schemagate_history WHERE blocking"),
             Catch::Contains("interrupted: started at"));

  // IF NOT EXISTS used to skip over the INVALID index and exit 0.
  auto rerun = run_cli(project, db.url(), {"upgrade"});
  expect_exit(rerun, 0);
  CHECK_THAT(rerun.err, Catch::Contains("did not finish"));
  CHECK(db.scalar(count_invalid_indexes()) == "0");
  CHECK(version_rows(db) == "bbbbbbbbbbb2");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE blocking") == "0");
}

TEST_CASE("a valid index as defined is accepted; another definition names the fix",
          "[concurrent_index]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE built (id int, name text);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
              "CREATE INDEX CONCURRENTLY built_id ON built (id);\n", "", kNoTransaction);
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaa"}), 0);
  // Built by a run that died before writing its history row.
  db.scalar("CREATE INDEX built_id ON built (id)");
  auto accepted = run_cli(project, db.url(), {"upgrade"});
  expect_exit(accepted, 0);
  CHECK_THAT(accepted.err, Catch::Contains("already built"));

  db.scalar("DELETE FROM schemagate_version");
  db.scalar("INSERT INTO schemagate_version VALUES ('aaaaaaaaaaa1')");
  db.scalar("DROP INDEX built_id");
  db.scalar("CREATE INDEX built_id ON built (name)");
  auto different = run_cli(project, db.url(), {"upgrade"});
  expect_exit(different, 1);
  CHECK_THAT(different.err, Catch::Contains("another definition"));
  CHECK_THAT(different.err, Catch::Contains("DROP INDEX CONCURRENTLY"));
}

TEST_CASE("a non-repeatable revision killed midway is reported with its progress and the fix",
          "[concurrent_index][crash]") {
  TestDatabase db;
  Project project;
  auto file = project.add("aaaaaaaaaaa1", {},
                          "CREATE TABLE step_one (id int);\nSELECT pg_sleep(60);\n"
                          "CREATE TABLE step_three (id int);\n",
                          "", kNoTransaction);
  auto runner = start_schemagate(project, db.url(), {"upgrade"});
  REQUIRE(wait_until(db, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                         "AND query = 'SELECT pg_sleep(60)')"));
  runner->kill_hard();
  runner->wait();
  auto blocked = run_cli(project, db.url(), {"upgrade"});
  expect_exit(blocked, 5);
  CHECK_THAT(blocked.err, Catch::Contains("statements 1-1 of 3 finished, through line 6"));
  CHECK_THAT(blocked.err, Catch::Contains("schemagate stamp aaaaaaaaaaa1"));
  CHECK_FALSE(db.table_exists("step_three"));
}

TEST_CASE("kill -9 at random points of a history mixing CIC and transactional revisions",
          "[concurrent_index][crash][soak]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {},
              "CREATE TABLE soak (a int, b int, c int);\n"
              "INSERT INTO soak SELECT g, g % 97, g % 13 FROM generate_series(1, 200000) g;\n",
              "DROP TABLE soak;\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE INDEX CONCURRENTLY soak_a ON soak (a);\n",
              "DROP INDEX CONCURRENTLY IF EXISTS soak_a;\n", kNoTransaction);
  project.add("ccccccccccc3", {"bbbbbbbbbbb2"}, "CREATE TABLE soak_side (id int);\n",
              "DROP TABLE soak_side;\n");
  project.add("ddddddddddd4", {"ccccccccccc3"},
              "CREATE INDEX CONCURRENTLY soak_b ON soak (b);\n"
              "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS soak_ac ON soak (a, c);\n",
              "DROP INDEX CONCURRENTLY IF EXISTS soak_ac;\n"
              "DROP INDEX CONCURRENTLY IF EXISTS soak_b;\n",
              kNoTransaction);
  project.add("eeeeeeeeeee5", {"ddddddddddd4"}, "ALTER TABLE soak_side ADD COLUMN n text;\n",
              "ALTER TABLE soak_side DROP COLUMN n;\n");

  // The first full run measures how long the kill window is.
  auto start = std::chrono::steady_clock::now();
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  auto full = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start).count();
  expect_exit(run_cli(project, db.url(), {"downgrade", "base"}), 0);

  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> kill_at(0, static_cast<int>(full));
  const int runs = 20;
  int failed_reruns = 0;
  int interrupted_non_transactional = 0;
  for (int run = 0; run < runs; ++run) {
    std::string last_id = db.scalar("SELECT coalesce(max(id), 0) FROM schemagate_history");
    auto runner = start_schemagate(project, db.url(), {"upgrade"});
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_at(random)));  // the random point
    runner->kill_hard();
    runner->wait();
    if (db.scalar("SELECT count(*) FROM schemagate_history WHERE blocking") != "0") {
      ++interrupted_non_transactional;
    }
    auto rerun = run_cli(project, db.url(), {"upgrade", "--lock-timeout", "60"});
    if (rerun.exit_code != 0) {
      ++failed_reruns;
      UNSCOPED_INFO("rerun " << run << ": " << rerun.err);
    }
    CHECK(version_rows(db) == "eeeeeeeeeee5");
    CHECK(db.scalar(count_invalid_indexes()) == "0");
    CHECK(db.scalar("SELECT count(*) FROM (SELECT revision FROM schemagate_history WHERE id > " +
                    last_id + " AND direction = 'up' AND outcome = 'succeeded' "
                    "GROUP BY revision HAVING count(*) > 1) doubled") == "0");
    expect_exit(run_cli(project, db.url(), {"downgrade", "base", "--lock-timeout", "60"}), 0);
  }
  CHECK(failed_reruns == 0);
  WARN(runs << " kill -9 runs, " << interrupted_non_transactional
            << " of them inside a non-transactional revision; failed reruns: " << failed_reruns);
}
