#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "engine/version_records.h"
#include "runner/integration/pgbouncer.h"
#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

std::string advisory_key() {
  return std::to_string(schemagate::engine::derive_lock_key("public", "schemagate_version"));
}

/// The advisory locks held in `db`'s database (pg_locks shows the whole
/// server's, and other tests run beside this one), once the sessions of
/// runners that have exited are gone: the server ends a session shortly after
/// its client, so a count above 0 is asked again for up to 5 s.
std::string advisory_locks_left(TestDatabase& db) {
  const std::string query =
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
      "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
  std::string count = db.scalar(query);
  for (int i = 0; i < 100 && count != "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    count = db.scalar(query);
  }
  return count;
}

void race_through(const std::string& pool_mode) {
  TestDatabase db;
  PgBouncer pooler(pool_mode);
  auto project = Project::example("library");
  std::vector<std::unique_ptr<Process>> runners;
  for (int i = 0; i < 16; ++i) {
    runners.push_back(start_schemagate(*project, pooler.url(db.name()),
                                       {"upgrade", "heads", "--lock-timeout", "120"}));
  }
  int pooler_noticed = 0;
  for (auto& runner : runners) {
    auto result = runner->wait();
    expect_exit(result, 0);
    if (result.err.find("connection pooler") != std::string::npos) ++pooler_noticed;
  }
  CHECK(pooler_noticed == 16);
  CHECK(version_rows(db) == "a84e1c9b3d72");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history") == "7");
  CHECK(db.scalar("SELECT count(DISTINCT revision) FROM schemagate_history") == "7");
  // Nothing leaked on the pooler's idle server connections.
  CHECK(advisory_locks_left(db) == "0");
  expect_exit(run_cli(*project, pooler.url(db.name()), {"upgrade", "--lock-timeout", "5"}), 0);
}

}  // namespace

TEST_CASE("16 runners through PgBouncer in transaction pooling apply exactly once",
          "[lock][pgbouncer]") {
  race_through("transaction");
}

TEST_CASE("16 runners through PgBouncer in session pooling apply exactly once",
          "[lock][pgbouncer]") {
  race_through("session");
}

TEST_CASE("a table-mode runner waits for an advisory holder, and the other way round",
          "[lock][lock_modes]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE mixed (id int);\n");
  expect_exit(run_cli(project, db.url(), {"current"}), 0);

  {
    // An advisory runner mid-migration.
    pqxx::connection holder(db.url());
    pqxx::nontransaction lock(holder);
    lock.exec("SELECT pg_advisory_lock(" + advisory_key() + ")");
    auto table =
        run_cli(project, db.url(), {"upgrade", "--lock-mode", "table", "--lock-timeout", "1"});
    expect_exit(table, 4);
    CHECK_FALSE(db.table_exists("mixed"));
  }
  {
    // A table-mode runner mid-migration: its lease is live.
    db.scalar("CREATE TABLE IF NOT EXISTS schemagate_version_lease "
              "(id int PRIMARY KEY CHECK (id = 1), holder text NOT NULL, "
              "acquired_at timestamptz NOT NULL, expires_at timestamptz NOT NULL)");
    db.scalar("INSERT INTO schemagate_version_lease VALUES (1, 'pod-x/1', now(), "
              "now() + interval '1 hour')");
    auto advisory = run_cli(project, db.url(), {"upgrade", "--lock-timeout", "1"});
    expect_exit(advisory, 4);
    CHECK_FALSE(db.table_exists("mixed"));
    CHECK(advisory_locks_left(db) == "0");
  }
  db.scalar("DELETE FROM schemagate_version_lease");
  expect_exit(run_cli(project, db.url(), {"upgrade", "--lock-timeout", "5"}), 0);
  CHECK(db.table_exists("mixed"));
}

TEST_CASE("32 runners of mixed lock modes apply every revision exactly once",
          "[concurrency][lock_modes]") {
  TestDatabase db;
  auto project = Project::example("library");
  std::vector<std::unique_ptr<Process>> runners;
  for (int i = 0; i < 32; ++i) {
    runners.push_back(start_schemagate(*project, db.url(),
                                       {"upgrade", "heads", "--lock-timeout", "120", "--lock-mode",
                                        i % 2 ? "table" : "advisory"}));
  }
  for (auto& runner : runners) expect_exit(runner->wait(), 0);
  CHECK(version_rows(db) == "a84e1c9b3d72");
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history") == "7");
  CHECK(db.scalar("SELECT count(DISTINCT revision) FROM schemagate_history") == "7");
}
