#include <chrono>
#include <thread>

#include "engine/version_records.h"
#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

/// Waits until a backend of `db` runs a query containing `needle`.
bool wait_for_query(TestDatabase& db, const std::string& needle) {
  for (int i = 0; i < 1200; ++i) {
    if (db.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND query LIKE '%" + needle + "%' AND pid <> pg_backend_pid()") != "0") {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void race(const std::vector<std::string>& extra_args) {
  TestDatabase db;
  auto project = Project::example("library");
  std::vector<std::unique_ptr<Process>> runners;
  std::vector<std::string> args = {"upgrade", "heads", "--lock-timeout", "120"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  for (int i = 0; i < 32; ++i) runners.push_back(start_schemagate(*project, db.url(), args));
  for (auto& runner : runners) expect_exit(runner->wait(), 0);
  CHECK(version_rows(db) == "a84e1c9b3d72");
  // Every revision applied exactly once, in all.
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history") == "7");
  CHECK(db.scalar("SELECT count(DISTINCT revision) FROM schemagate_history "
                  "WHERE direction = 'up' AND outcome = 'succeeded'") == "7");
  CHECK(db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'books_title_idx'::regclass") ==
        "t");
}

}  // namespace

TEST_CASE("32 racing runners apply every revision exactly once (advisory lock)", "[concurrency]") {
  race({});
}

TEST_CASE("32 racing runners apply every revision exactly once (table lease)", "[concurrency]") {
  race({"--lock-mode", "table"});
}

TEST_CASE("kill -9 in the middle of a migration leaves the previous revision", "[crash]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE before_crash (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
              "CREATE TABLE half_done (id int);\nSELECT pg_sleep(2);\n"
              "CREATE TABLE after_sleep (id int);\n");
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaa"}), 0);

  auto runner = start_schemagate(project, db.url(), {"upgrade"});
  REQUIRE(wait_for_query(db, "pg_sleep(2)"));
  runner->kill_hard();
  runner->wait();

  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  CHECK_FALSE(db.table_exists("half_done"));
  CHECK_FALSE(db.table_exists("after_sleep"));
  // The dead runner's lock goes with its session; the next run proceeds.
  expect_exit(run_cli(project, db.url(), {"upgrade", "--lock-timeout", "60"}), 0);
  CHECK(version_rows(db) == "bbbbbbbbbbb2");
  CHECK(db.table_exists("after_sleep"));
}

TEST_CASE("a killed holder's lease expires and the next runner proceeds", "[crash][lease]") {
  TestDatabase db;
  Project project;
  // The migration waits for a lock the test holds, so the holder is killed
  // mid-migration however slowly it got there.
  project.add("aaaaaaaaaaa1", {},
              "CREATE TABLE leased (id int);\nSELECT pg_advisory_xact_lock(4242);\n");
  db.scalar("SELECT pg_advisory_lock(4242)::text");
  auto holder =
      start_schemagate(project, db.url(), {"upgrade", "--lock-mode", "table", "--lock-lease", "3"});
  REQUIRE(wait_for_query(db, "pg_advisory_xact_lock(4242)"));
  holder->kill_hard();
  holder->wait();
  CHECK(db.scalar("SELECT count(*) FROM schemagate_version_lease") == "1");
  db.scalar("SELECT pg_advisory_unlock(4242)::text");

  auto next = run_cli(project, db.url(),
                         {"upgrade", "--lock-mode", "table", "--lock-lease", "3", "--lock-timeout",
                          "30", "--log-level", "info"});
  expect_exit(next, 0);
  CHECK_THAT(next.err, Catch::Contains("waiting for the migration lease"));
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_version_lease") == "0");
}

TEST_CASE("a runner that loses its lease stops after the migration in hand, exit 4",
          "[lease]") {
  TestDatabase db;
  Project project;
  // The first migration waits for a lock the test holds until the holder's
  // heartbeat has seen the lease taken.
  project.add("aaaaaaaaaaa1", {},
              "CREATE TABLE first (id int);\nSELECT pg_advisory_xact_lock(4243);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE TABLE second (id int);\n");
  db.scalar("SELECT pg_advisory_lock(4243)::text");
  auto holder =
      start_schemagate(project, db.url(), {"upgrade", "--lock-mode", "table", "--lock-lease", "3"});
  REQUIRE(wait_for_query(db, "pg_advisory_xact_lock(4243)"));
  // What a runner that found the lease expired would do: take it over. The
  // heartbeat (every second here) notices before the first migration ends.
  {
    pqxx::nontransaction steal(db.connection());
    steal.exec("UPDATE schemagate_version_lease SET holder = 'another-runner'");
  }
  await_output(*holder, "migration lease lost to another runner");
  db.scalar("SELECT pg_advisory_unlock(4243)::text");
  auto result = holder->wait();
  expect_exit(result, 4);
  CHECK_THAT(result.err, Catch::Contains("migration lease lost"));
  CHECK_THAT(result.err, Catch::Contains("lost before revision bbbbbbbbbbb2"));
  // The migration in hand committed with its version row; nothing after it ran.
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  CHECK(db.table_exists("first"));
  CHECK_FALSE(db.table_exists("second"));
  // The other runner's lease is not released by the one that lost it.
  CHECK(db.scalar("SELECT holder FROM schemagate_version_lease") == "another-runner");
}

TEST_CASE("version rows changed under a running migration abort it, rolled back",
          "[concurrency]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE one (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE TABLE two (id int);\nSELECT pg_sleep(1);\n");
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaaaaaaaaa1"}), 0);
  auto runner = start_schemagate(project, db.url(), {"upgrade"});
  REQUIRE(wait_for_query(db, "pg_sleep(1)"));
  // A writer that ignores the lock (a hand-made stamp, say) moves the rows.
  {
    pqxx::nontransaction meddle(db.connection());
    meddle.exec("DELETE FROM schemagate_version");
  }
  auto result = runner->wait();
  expect_exit(result, 1);
  CHECK_THAT(result.err, Catch::Contains("version rows changed concurrently"));
  CHECK_THAT(result.err, Catch::Contains("rolled back"));
  CHECK_FALSE(db.table_exists("two"));
  CHECK(version_rows(db).empty());
  CHECK(db.scalar("SELECT outcome FROM schemagate_history WHERE revision = 'bbbbbbbbbbb2'") ==
        "failed");
}

TEST_CASE("a waiter names the lock holder and gives up with exit 4", "[lock]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE never (id int);\n");
  pqxx::connection holder(db.url() + "?application_name=holder-under-test");
  pqxx::nontransaction lock(holder);
  lock.exec("SELECT pg_advisory_lock(" +
            std::to_string(schemagate::engine::derive_lock_key("public", "schemagate_version")) +
            ")");
  auto start = std::chrono::steady_clock::now();
  auto waiter = run_cli(project, db.url(), {"upgrade", "--lock-timeout", "2"});
  auto waited = std::chrono::steady_clock::now() - start;
  expect_exit(waiter, 4);
  CHECK_THAT(waiter.err, Catch::Contains("holder-under-test"));
  CHECK_THAT(waiter.err, Catch::Contains("pid " + std::to_string(holder.backendpid())));
  CHECK(waited >= std::chrono::milliseconds(1500));
  CHECK_FALSE(db.table_exists("never"));
}

TEST_CASE("wait returns once another process finishes the upgrade", "[wait]") {
  TestDatabase db;
  auto project = Project::example("library");
  auto waiter = start_schemagate(*project, db.url(), {"wait", "--timeout", "60"});
  await_output(*waiter, "waiting for migrations");
  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  expect_exit(waiter->wait(), 0);

  TestDatabase empty;
  auto gave_up = run_cli(*project, empty.url(), {"wait", "--timeout", "1"});
  expect_exit(gave_up, 4);
  CHECK_THAT(gave_up.err, Catch::Contains("7 migration(s) still pending"));
}
