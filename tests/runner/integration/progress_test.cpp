// Progress lines of the real binary against the real server: each revision is
// announced before it runs, and a statement that runs long is reported while
// it runs, from a second connection, also through PgBouncer.
#include <algorithm>
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "runner/integration/pgbouncer.h"
#include "runner/integration/support.h"

using namespace schemagate::testing;
using nlohmann::json;

namespace {

/// Every stderr line as JSON; fails the test on a line that is not.
std::vector<json> json_lines(const std::string& err) {
  std::vector<json> lines;
  size_t start = 0;
  while (start < err.size()) {
    size_t end = err.find('\n', start);
    if (end == std::string::npos) end = err.size();
    std::string line = err.substr(start, end - start);
    INFO(line);
    REQUIRE(json::accept(line));
    lines.push_back(json::parse(line));
    start = end + 1;
  }
  return lines;
}

std::vector<json> with_message(const std::vector<json>& lines, const std::string& message) {
  std::vector<json> found;
  for (const json& line : lines) {
    if (line.value("msg", "") == message) found.push_back(line);
  }
  return found;
}

/// The index of the first line whose message starts with `prefix`; -1 if none.
int first_index(const std::vector<json>& lines, const std::string& prefix) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].value("msg", "").rfind(prefix, 0) == 0) return static_cast<int>(i);
  }
  return -1;
}

/// Waits until `runner` has logged a line with `message` whose `key` is
/// `value`, or it exited, or a minute passed. True when it logged one.
bool wait_for_line(Process& runner, const std::string& message, const std::string& key,
                   const std::string& value) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string err = runner.stderr_so_far();
    // Only complete lines: the last may be half written.
    err = err.substr(0, err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
    for (const json& line : json_lines(err)) {
      if (line.value("msg", "") == message && line.contains(key) && line[key] == value) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

/// A table whose index expression waits, row by row, for an advisory lock the
/// test holds: the build stays in its scanning phase until the test lets go.
void create_gated_table(TestDatabase& db) {
  db.scalar("CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 20000) g");
  db.scalar("CREATE FUNCTION gate(int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS "
            "$$BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN $1; END$$");
}

void build_gated_index(const std::string& url, TestDatabase& db, const std::string& index_sql,
                       const std::string& header) {
  Project project;
  project.add("aaaaaaaaaaa1", {}, index_sql + "\n", "", header);
  pqxx::connection gate(db.url());
  pqxx::nontransaction hold(gate);
  hold.exec("SELECT pg_advisory_lock(4242)");
  auto runner = start_schemagate(project, url,
                                 {"upgrade", "--log-format", "json", "--progress-interval", "0.2",
                                  "--statement-lock-timeout", "300", "--lock-timeout", "60"});
  bool reported = wait_for_line(*runner, "index build in progress", "phase",
                                "building index: scanning table");
  hold.exec("SELECT pg_advisory_unlock(4242)");
  ProcessResult result = runner->wait();
  expect_exit(result, 0);
  INFO(result.err);
  CHECK(reported);
  std::vector<json> lines = json_lines(result.err);
  std::vector<json> progress = with_message(lines, "index build in progress");
  // The scan reports blocks; a later line may already be in a phase that
  // counts tuples instead, so the scan's own line is the one to read.
  auto scanning = std::find_if(progress.begin(), progress.end(), [](const json& line) {
    return line.value("phase", "") == "building index: scanning table";
  });
  REQUIRE(scanning != progress.end());
  const json& line = *scanning;
  CHECK(line["revision"] == "aaaaaaaaaaa1");
  CHECK(line["statement"] == index_sql.substr(0, index_sql.size() - 1));
  CHECK(line["blocks_total"].get<int64_t>() > 0);
  CHECK(line["at"].get<std::string>().find("aaaaaaaaaaa1_test.sql:") != std::string::npos);
  CHECK(line["elapsed_s"].get<double>() > 0);
  CHECK(line.contains("percent"));
  CHECK(first_index(lines, "Running upgrade <base> -> aaaaaaaaaaa1") >= 0);
  CHECK(first_index(lines, "Running upgrade") < first_index(lines, "index build in progress"));
  CHECK(db.scalar("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                  "WHERE c.relname = 'big_gate' AND i.indisvalid") == "1");
}

}  // namespace

TEST_CASE("each revision is announced before it runs and a long statement is reported",
          "[progress]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE t (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "SELECT 1;\nSELECT pg_sleep(3);\n");
  auto result = run_cli(project, db.url(),
                        {"upgrade", "--log-format", "json", "--progress-interval", "0.5"});
  expect_exit(result, 0);
  std::vector<json> lines = json_lines(result.err);

  int announced = first_index(lines, "Running upgrade <base> -> aaaaaaaaaaa1, revision aaaaaaaaaaa1");
  int second = first_index(lines, "Running upgrade aaaaaaaaaaa1 -> bbbbbbbbbbb2");
  int applied = first_index(lines, "applied");
  REQUIRE(announced >= 0);
  REQUIRE(second > applied);
  CHECK(announced < applied);
  CHECK(lines[second]["direction"] == "upgrade");
  CHECK(lines[second]["from"] == "aaaaaaaaaaa1");
  CHECK(lines[second]["to"] == "bbbbbbbbbbb2");
  CHECK(lines[second]["step"] == 2);
  CHECK(lines[second]["steps"] == 2);

  std::vector<json> progress = with_message(lines, "still running");
  REQUIRE(progress.size() >= 2);
  // The sleep's lines wait on PgSleep; a look just as it ends may find the
  // backend writing the version rows sent with it, waiting on nothing.
  int sleeping = 0;
  for (const json& line : progress) {
    CHECK(line["revision"] == "bbbbbbbbbbb2");
    CHECK(line["statement"] == "SELECT pg_sleep(3)");
    CHECK_THAT(line["at"].get<std::string>(), Catch::EndsWith("bbbbbbbbbbb2_test.sql:7"));
    if (line.contains("waiting_on")) {
      CHECK(line["waiting_on"] == "Timeout:PgSleep");
      ++sleeping;
    }
  }
  CHECK(sleeping >= 2);
  CHECK(progress.front()["elapsed_s"].get<double>() < progress.back()["elapsed_s"].get<double>());

  auto down = run_cli(project, db.url(), {"downgrade", "base", "--log-format", "json"});
  expect_exit(down, 0);
  CHECK(first_index(json_lines(down.err), "Running downgrade bbbbbbbbbbb2 -> aaaaaaaaaaa1") >= 0);
  auto stamp = run_cli(project, db.url(), {"stamp", "heads", "--log-format", "json"});
  expect_exit(stamp, 0);
  CHECK(first_index(json_lines(stamp.err), "Running stamp <base> -> bbbbbbbbbbb2") >= 0);

  auto quiet = run_cli(project, db.url(),
                       {"downgrade", "aaaaaaaaaaa1", "--progress-interval", "0"});
  expect_exit(quiet, 0);
  CHECK_THAT(quiet.err, !Catch::Contains("still running"));
}

TEST_CASE("an index build reports pg_stat_progress_create_index's phase and counts",
          "[progress]") {
  TestDatabase db;
  create_gated_table(db);
  SECTION("in a transaction") {
    build_gated_index(db.url(), db, "CREATE INDEX big_gate ON big (gate(id));", "");
  }
  SECTION("concurrently, outside one") {
    build_gated_index(db.url(), db, "CREATE INDEX CONCURRENTLY big_gate ON big (gate(id));",
                      "-- schemagate:transactional false\n");
  }
}

TEST_CASE("index progress is read through PgBouncer in transaction pooling", "[progress][pgbouncer]") {
  TestDatabase db;
  create_gated_table(db);
  PgBouncer pooler("transaction");
  build_gated_index(pooler.url(db.name()), db, "CREATE INDEX big_gate ON big (gate(id));", "");
}

TEST_CASE("without a second connection the lines carry the time and the migration goes on",
          "[progress]") {
  TestDatabase db;
  std::string role = "lonely_" + db.name();
  db.scalar("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' CONNECTION LIMIT 1");
  db.scalar("ALTER DATABASE " + db.name() + " OWNER TO " + role);
  db.scalar("ALTER SCHEMA public OWNER TO " + role);
  std::string server = test_server_url();
  std::string host = server.substr(server.find('@') + 1);
  host = host.substr(0, host.find('/'));
  std::string url = "postgresql://" + role + ":pw@" + host + "/" + db.name();

  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT pg_sleep(1.5);\n");
  auto result = run_cli(project, url,
                        {"upgrade", "--log-format", "json", "--progress-interval", "0.3"});
  expect_exit(result, 0);
  std::vector<json> progress = with_message(json_lines(result.err), "still running");
  REQUIRE_FALSE(progress.empty());
  CHECK_FALSE(progress.front().contains("waiting_on"));
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
}
