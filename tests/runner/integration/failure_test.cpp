#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "engine/version_records.h"
#include "runner/integration/support.h"

using namespace schemagate::testing;

TEST_CASE("a syntax error names the file and line and rolls the migration back", "[failure]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE good (id int);\n");
  // Header lines 1-3, a blank, the marker on 5: the body starts on line 6.
  auto file = project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
                          "CREATE TABLE partial (id int);\nCREATE TABEL broken (id int);\n");
  auto result = run_cli(project, db.url(), {"upgrade"});
  expect_exit(result, 1);
  CHECK_THAT(result.err, Catch::Contains(file.string() + ":7:"));
  CHECK_THAT(result.err, Catch::Contains("42601"));
  CHECK_THAT(result.err, Catch::Contains("syntax error at or near \\\"TABEL\\\"") ||
                             Catch::Contains("syntax error at or near \"TABEL\""));
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  CHECK(db.table_exists("good"));
  CHECK_FALSE(db.table_exists("partial"));
  CHECK(db.scalar("SELECT outcome FROM schemagate_history WHERE revision = 'bbbbbbbbbbb2'") ==
        "failed");
  CHECK_THAT(db.scalar("SELECT error FROM schemagate_history WHERE revision = 'bbbbbbbbbbb2'"),
             Catch::Contains(":7"));
}

TEST_CASE("an unreachable server exits 3 after --wait-for-db", "[failure][connect]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT 1;\n");
  auto start = std::chrono::steady_clock::now();
  auto result = run_cli(project, "postgresql://postgres:secret@127.0.0.1:9/postgres",
                           {"upgrade", "--wait-for-db", "3"});
  auto waited = std::chrono::steady_clock::now() - start;
  expect_exit(result, 3);
  CHECK(waited >= std::chrono::milliseconds(2000));
  CHECK(waited < std::chrono::seconds(15));
  CHECK_THAT(result.err, Catch::Contains("127.0.0.1:9"));
  CHECK_THAT(result.err, !Catch::Contains("secret"));
}

TEST_CASE("a server that starts after the runner is waited for", "[failure][connect]") {
  TempDir dir;
  std::string pgdir = (dir.path() / "pg").string();
  std::string script = source_dir() + "/scripts/pg.sh";
  expect_exit(run_process({"bash", script, "init", pgdir}), 0);
  std::string url;
  {
    std::ifstream env(pgdir + "/env");
    std::string line;
    while (std::getline(env, line)) {
      if (line.rfind("DATABASE_URL=", 0) == 0) url = line.substr(13);
    }
  }
  REQUIRE_FALSE(url.empty());
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE late (id int);\n");
  auto runner = start_schemagate(project, url, {"upgrade", "--wait-for-db", "60"});
  // The server starts once the runner has found it down, however long the
  // runner takes to get there on a loaded machine.
  await_output(*runner, "database not reachable yet");
  expect_exit(run_process({"bash", script, "run", pgdir}), 0);
  auto result = runner->wait();
  run_process({"bash", script, "stop", pgdir});
  expect_exit(result, 0);
  CHECK_THAT(result.err, Catch::Contains("database not reachable yet"));
}

TEST_CASE("an edited applied file is refused until repaired or allowed", "[failure][checksum]") {
  TestDatabase db;
  Project project;
  auto file = project.add("aaaaaaaaaaa1", {}, "CREATE TABLE edited (id int);\n");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE edited (id bigint);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE TABLE next_one (id int);\n");

  auto refused = run_cli(project, db.url(), {"upgrade"});
  expect_exit(refused, 5);
  CHECK_THAT(refused.err, Catch::Contains("aaaaaaaaaaa1"));
  CHECK_THAT(refused.err, Catch::Contains(file.string()));
  CHECK_FALSE(db.table_exists("next_one"));
  expect_exit(run_cli(project, db.url(), {"verify"}), 5);
  expect_exit(run_cli(project, db.url(), {"check"}), 1);

  auto allowed = run_cli(project, db.url(), {"upgrade", "--allow-changed"});
  expect_exit(allowed, 0);
  CHECK_THAT(allowed.err, Catch::Contains("--allow-changed"));
  CHECK(db.table_exists("next_one"));

  expect_exit(run_cli(project, db.url(), {"repair"}), 0);
  expect_exit(run_cli(project, db.url(), {"verify"}), 0);
  expect_exit(run_cli(project, db.url(), {"check"}), 0);
}

TEST_CASE("a failed non-transactional migration blocks upgrades until repair", "[failure]") {
  TestDatabase db;
  Project project;
  const std::string header = "-- schemagate:transactional false\n";
  project.add("aaaaaaaaaaa1", {},
              "CREATE TABLE IF NOT EXISTS nt_first (id int);\n"
              "CREATE INDEX CONCURRENTLY nt_idx ON nt_missing (id);\n",
              "", header);
  auto failed = run_cli(project, db.url(), {"upgrade"});
  expect_exit(failed, 1);
  CHECK_THAT(failed.err, Catch::Contains("repair"));
  CHECK(db.table_exists("nt_first"));  // statements before the failure stay
  CHECK(version_rows(db).empty());

  auto blocked = run_cli(project, db.url(), {"upgrade"});
  expect_exit(blocked, 5);
  CHECK_THAT(blocked.err, Catch::Contains("schemagate repair"));
  expect_exit(run_cli(project, db.url(), {"check"}), 5);

  project.add("aaaaaaaaaaa1", {},
              "CREATE TABLE IF NOT EXISTS nt_first (id int);\n"
              "CREATE INDEX CONCURRENTLY nt_idx ON nt_first (id);\n",
              "", header);
  expect_exit(run_cli(project, db.url(), {"repair"}), 0);
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
  CHECK(db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'nt_idx'::regclass") == "t");
}

TEST_CASE("malformed bodies are refused before anything runs", "[failure]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE first_ok (id int);\n");
  auto file = project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
                          "CREATE TABLE t2 (id int);\nCOMMIT;\n");
  auto result = run_cli(project, db.url(), {"upgrade"});
  expect_exit(result, 2);
  CHECK_THAT(result.err, Catch::Contains(file.string() + ":7"));
  CHECK_FALSE(db.table_exists("first_ok"));

  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "\\set x 1\nSELECT 1;\n");
  auto meta = run_cli(project, db.url(), {"upgrade"});
  expect_exit(meta, 2);
  CHECK_THAT(meta.err, Catch::Contains(":6"));

  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE INDEX CONCURRENTLY i ON first_ok (id);\n");
  auto concurrently = run_cli(project, db.url(), {"upgrade"});
  expect_exit(concurrently, 2);
  CHECK_THAT(concurrently.err, Catch::Contains("transactional false"));
  CHECK_FALSE(db.table_exists("first_ok"));
}

TEST_CASE("a password with @, : and % connects and never appears in output", "[security]") {
  TestDatabase db;
  const std::string password = "p@ss:w%rd";
  const std::string encoded = "p%40ss%3Aw%25rd";
  std::string role = "odd_" + db.name();
  {
    pqxx::nontransaction admin(db.connection());
    admin.exec("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    admin.exec("ALTER DATABASE " + db.name() + " OWNER TO " + role);
    admin.exec("ALTER SCHEMA public OWNER TO " + role);
  }
  std::string server = test_server_url();
  std::string host = server.substr(server.find('@') + 1);
  host = host.substr(0, host.find('/'));
  std::string url = "postgresql://" + role + ":" + encoded + "@" + host + "/" + db.name();

  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE secret_ok (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "SELECT no_such_column FROM secret_ok;\n");
  auto outputs = std::vector<ProcessResult>{
      run_cli(project, url, {"upgrade", "aaaa", "--log-level", "debug"}),
      run_cli(project, url, {"upgrade", "--log-format", "json"}),
      run_cli(project, url + "_missing_db", {"current"}),
      run_cli(project, "postgresql://" + role + ":wrong%40pw@" + host + "/" + db.name(),
                 {"current"}),
  };
  expect_exit(outputs[0], 0);
  CHECK(outputs[1].exit_code == 1);
  CHECK(outputs[2].exit_code == 3);
  CHECK(outputs[3].exit_code == 3);
  for (const auto& output : outputs) {
    for (const std::string& secret : {password, encoded, std::string("wrong@pw"),
                                      std::string("wrong%40pw")}) {
      CHECK_THAT(output.out + output.err, !Catch::Contains(secret));
    }
  }
  CHECK(db.table_exists("secret_ok"));

  // A URL given on the command line is hidden from `ps` once read.
  pqxx::connection holder(db.url());
  pqxx::nontransaction lock(holder);
  lock.exec("SELECT pg_advisory_lock(" +
            std::to_string(schemagate::engine::derive_lock_key("public", "schemagate_version")) +
            ")");
  Process waiting({schemagate_binary(), "--dir", project.root().string(), "--database-url", url,
                   "upgrade", "--lock-timeout", "10"},
                  {{"DATABASE_URL", ""}});
  std::string cmdline;
  for (int i = 0; i < 100 && cmdline.find("***") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream proc("/proc/" + std::to_string(waiting.pid()) + "/cmdline");
    cmdline.assign(std::istreambuf_iterator<char>(proc), std::istreambuf_iterator<char>());
  }
  CHECK_THAT(cmdline, Catch::Contains(role + ":***@"));
  CHECK_THAT(cmdline, !Catch::Contains(encoded));
  waiting.kill_hard();

  TempDir dir;
  auto url_file = dir.write("url", url + "\n");
  auto from_file = run_process({schemagate_binary(), "--dir", project.root().string(),
                                "--database-url-file", url_file.string(), "current"},
                               {{"DATABASE_URL", ""}});
  expect_exit(from_file, 0);
  CHECK(from_file.out == "aaaaaaaaaaa1\n");
}

TEST_CASE("a statement that waits for a lock times out, is retried, then succeeds or fails",
          "[failure][lock_timeout]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE busy (id int);\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "ALTER TABLE busy ADD COLUMN name text;\n");
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaa"}), 0);

  // A long transaction holds the table: the migration must not queue behind it.
  pqxx::connection blocker(db.url());
  pqxx::work holding(blocker);
  holding.exec("LOCK TABLE busy IN ACCESS SHARE MODE");
  auto gave_up = run_cli(project, db.url(),
                         {"upgrade", "--statement-lock-timeout", "0.2", "--lock-retries", "2"});
  expect_exit(gave_up, 1);
  CHECK_THAT(gave_up.err, Catch::Contains("55P03"));
  size_t retries = 0;
  for (size_t at = gave_up.err.find("will be retried"); at != std::string::npos;
       at = gave_up.err.find("will be retried", at + 1)) {
    ++retries;
  }
  CHECK(retries == 2);
  CHECK(version_rows(db) == "aaaaaaaaaaa1");

  // Released while the runner backs off: a retry goes through.
  auto runner = start_schemagate(project, db.url(),
                                 {"upgrade", "--statement-lock-timeout", "0.2", "--lock-retries", "5"});
  await_output(*runner, "will be retried");
  holding.abort();
  expect_exit(runner->wait(), 0);
  CHECK(version_rows(db) == "bbbbbbbbbbb2");
}

TEST_CASE("a database at a revision the directory lacks is refused, naming it", "[failure]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE known (id int);\n");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  {
    pqxx::nontransaction edit(db.connection());
    edit.exec("UPDATE schemagate_version SET version_num = 'ffffffffffff'");
  }
  for (const char* command : {"upgrade", "current", "check"}) {
    auto refused = run_cli(project, db.url(), {command});
    expect_exit(refused, 5);
    CHECK_THAT(refused.err, Catch::Contains("ffffffffffff"));
    CHECK_THAT(refused.err, Catch::Contains("stamp"));
  }
  CHECK(version_rows(db) == "ffffffffffff");
}

TEST_CASE("a termination log reports the revisions reached, or the error, as JSON",
          "[failure][kubernetes]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE good (id int);\n");
  TempDir dir;
  const std::string report = (dir.path() / "termination-log").string();
  auto read_report = [&] {
    std::ifstream file(report);
    return std::string(std::istreambuf_iterator<char>(file), {});
  };

  expect_exit(run_cli(project, db.url(), {"upgrade", "--termination-log", report}), 0);
  CHECK(read_report() == "{\"outcome\":\"succeeded\",\"revisions\":[\"aaaaaaaaaaa1\"]}\n");

  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE TABEL \"quoted\" (id int);\n");
  expect_exit(run_cli(project, db.url(), {"upgrade", "--termination-log", report}), 1);
  std::string failed = read_report();
  CHECK_THAT(failed, Catch::StartsWith(
                         "{\"outcome\":\"failed\",\"exitCode\":1,\"kind\":\"migration-failed\","
                         "\"error\":\""));
  CHECK_THAT(failed, Catch::Contains("bbbbbbbbbbb2"));
  CHECK_THAT(failed, Catch::Contains("near \\\"TABEL\\\""));
  CHECK(version_rows(db) == "aaaaaaaaaaa1");

  auto unwritable = run_cli(project, db.url(), {"current", "--termination-log", "/nonexistent/x"});
  expect_exit(unwritable, 2);
  CHECK_THAT(unwritable.err, Catch::Contains("cannot write /nonexistent/x"));
}

namespace {

/// The 1-based line of `file` that holds `needle`; 0 when none does.
int line_of(const std::filesystem::path& file, const std::string& needle) {
  std::ifstream stream(file);
  std::string line;
  for (int number = 1; std::getline(stream, line); ++number) {
    if (line.find(needle) != std::string::npos) return number;
  }
  return 0;
}

}  // namespace

TEST_CASE("an error without a position names its statement's line, with DETAIL",
          "[failure]") {
  TestDatabase db;
  Project project;
  auto file = project.add("aaaaaaaaaaa1", {},
                          "CREATE TABLE uniq (id int PRIMARY KEY);\n"
                          "INSERT INTO uniq VALUES (1);\n\n"
                          "INSERT INTO uniq VALUES (1); -- again\n");
  auto result = run_cli(project, db.url(), {"upgrade"});
  expect_exit(result, 1);
  const std::string where = file.string() + ":" + std::to_string(line_of(file, "-- again")) + ":";
  CHECK_THAT(result.err, Catch::Contains(where));
  CHECK_THAT(result.err, Catch::Contains("Key (id)=(1) already exists"));
  CHECK_FALSE(db.table_exists("uniq"));
}

TEST_CASE("malformed URLs and other schemes exit 2 at once, without the password",
          "[failure][connect][security]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT 1;\n");
  for (const std::string url :
       {"postgresql://app:se/cr3t@127.0.0.1:9/db", "postgresql://127.0.0.1:9/db?password=se%zzcr3t",
        "postgresql://127.0.0.1:9/db?sslmod=require", "mysql://app:secr3t@127.0.0.1:9/db"}) {
    auto start = std::chrono::steady_clock::now();
    auto result = run_cli(project, url, {"current", "--wait-for-db", "30"});
    expect_exit(result, 2);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    CHECK_THAT(result.err, Catch::Contains("$DATABASE_URL"));
    CHECK_THAT(result.err, !Catch::Contains("cr3t"));
  }
}

TEST_CASE("a failure that waiting cannot heal is not retried; the cause is named",
          "[failure][connect]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT 1;\n");
  std::string server = test_server_url();
  std::string address = server.substr(server.find('@') + 1);
  address = address.substr(0, address.find('/'));
  std::string wrong = "postgresql://postgres:wrong-pw@" + address + "/" + db.name();
  auto start = std::chrono::steady_clock::now();
  auto refused = run_cli(project, wrong, {"current", "--wait-for-db", "30"});
  expect_exit(refused, 3);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  CHECK_THAT(refused.err, Catch::Contains("not retried"));
  CHECK_THAT(refused.err, !Catch::Contains("wrong-pw"));

  auto closed =
      run_cli(project, "postgres://app:x@127.0.0.1:9/db", {"current", "--wait-for-db", "1"});
  expect_exit(closed, 3);
  CHECK_THAT(closed.err, Catch::Contains("cause=\"connection refused\"") ||
                             Catch::Contains("cause=connection refused"));
}

TEST_CASE("a one-character password is hidden from ps", "[security]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT 1;\n");
  const std::string url = "postgresql://app:Q@127.0.0.1:9/db";
  Process waiting({schemagate_binary(), "--dir", project.root().string(), "--database-url", url,
                   "current", "--wait-for-db", "30"},
                  {{"DATABASE_URL", ""}});
  std::string cmdline = url;
  for (int i = 0; i < 200 && cmdline.find(url) != std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream proc("/proc/" + std::to_string(waiting.pid()) + "/cmdline");
    cmdline.assign(std::istreambuf_iterator<char>(proc), std::istreambuf_iterator<char>());
  }
  CHECK_THAT(cmdline, Catch::Contains("app:***@"));
  CHECK_THAT(cmdline, !Catch::Contains(":Q@"));
  waiting.kill_hard();
}

TEST_CASE("a session the server ends is reported with the server's side of it",
          "[failure][connect]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT pg_sleep(60);\n");
  auto runner = start_schemagate(project, db.url(), {"upgrade"});
  bool running = false;
  // The last statement of a migration is sent with its version change, so
  // the server's query text starts with it.
  for (int i = 0; i < 400 && !running; ++i) {
    running = db.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND query LIKE 'SELECT pg\\_sleep(60)%'") != "0";
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(running);
  db.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND query LIKE 'SELECT pg\\_sleep(60)%'");
  auto result = runner->wait();
  expect_exit(result, 3);
  CHECK_THAT(result.err, Catch::Contains("the server ended our session"));
  CHECK_THAT(result.err, !Catch::Contains("client encoding"));
  CHECK(version_rows(db).empty());
}
