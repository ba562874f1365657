#include <fstream>
#include <regex>

#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

/// The scratch database a run named in its log.
std::string scratch_name(const ProcessResult& result) {
  std::smatch match;
  REQUIRE(std::regex_search(result.err, match, std::regex("database=(schemagate_scratch_\\w+)")));
  return match[1];
}

bool database_exists(const std::string& name) {
  pqxx::connection admin(test_server_url());
  pqxx::nontransaction query(admin);
  return !query.exec("SELECT 1 FROM pg_database WHERE datname = " + query.quote(name)).empty();
}

}  // namespace

TEST_CASE("test: every revision of the example round-trips on a scratch database that is then "
          "dropped", "[schema][test-command]") {
  auto project = Project::example("library");
  auto result = run_cli(*project, "", {"test", "--dev-url", test_server_url()});
  expect_exit(result, 0);
  CHECK_THAT(result.out, Catch::StartsWith("ok 9c1e4b7a2f30, create books table\n"));
  CHECK_THAT(result.out, Catch::Contains("ok a84e1c9b3d72, index book titles"));
  CHECK_THAT(result.out, Catch::Contains("ok downgrade base, upgrade heads: 7 revision(s)"));
  CHECK_FALSE(database_exists(scratch_name(result)));
}

TEST_CASE("test: a down that forgets to drop a column is reported with its revision and column",
          "[schema][test-command]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE books (id int PRIMARY KEY, title text);\n",
              "DROP TABLE books;\n");
  auto file = project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
                          "ALTER TABLE books ADD COLUMN isbn text NOT NULL DEFAULT '';\n"
                          "CREATE INDEX books_title_idx ON books (title);\n",
                          "DROP INDEX books_title_idx;\n");
  project.add("ccccccccccc3", {"bbbbbbbbbbb2"}, "CREATE TABLE never_reached (id int);\n",
              "DROP TABLE never_reached;\n");
  auto result = run_cli(project, "", {"test", "--dev-url", test_server_url()});
  expect_exit(result, 1);
  CHECK(result.out == "ok aaaaaaaaaaa1, revision aaaaaaaaaaa1\n");
  CHECK_THAT(result.err, Catch::Contains("revision bbbbbbbbbbb2 (" + file.string() +
                                         "): its down does not restore the schema before it"));
  CHECK_THAT(result.err,
             Catch::Contains("column public.books.isbn is left over (text NOT NULL DEFAULT ''::text)"));
  CHECK_THAT(result.err, !Catch::Contains("ccccccccccc3"));
  CHECK_FALSE(database_exists(scratch_name(result)));
}

TEST_CASE("test: a down that restores something else than the up removed is reported",
          "[schema][test-command]") {
  Project project;
  project.add("aaaaaaaaaaa1", {},
              "CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
              "CREATE TABLE people (id int, name varchar(50), m mood);\n",
              "DROP TABLE people;\nDROP TYPE mood;\n");
  project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
              "ALTER TABLE people ALTER COLUMN name TYPE varchar(100);\n"
              "ALTER TYPE mood ADD VALUE 'happy';\n",
              "ALTER TABLE people ALTER COLUMN name TYPE varchar(80);\n");
  auto result = run_cli(project, "", {"test", "--dev-url", test_server_url()});
  expect_exit(result, 1);
  CHECK_THAT(result.err, Catch::Contains("revision bbbbbbbbbbb2"));
  CHECK_THAT(result.err, Catch::Contains("column public.people.name differs: expected character "
                                         "varying(50), found character varying(80)"));
  CHECK_THAT(result.err, Catch::Contains("enum public.mood differs: expected ENUM ('sad', 'ok'), "
                                         "found ENUM ('sad', 'ok', 'happy')"));
}

TEST_CASE("test: a failing migration and a missing down section are exit 1, and the scratch "
          "database is dropped", "[schema][test-command]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE t (id int);\n", "DROP TABLE t;\n");
  auto file = project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "ALTER TABLE t ADD COLUMN x nosuchtype;\n",
                          "ALTER TABLE t DROP COLUMN x;\n");
  auto failed = run_cli(project, "", {"test", "--dev-url", test_server_url()});
  expect_exit(failed, 1);
  CHECK_THAT(failed.err, Catch::Contains(file.string() + ":6"));
  CHECK_THAT(failed.err, Catch::Contains("nosuchtype"));
  CHECK_FALSE(database_exists(scratch_name(failed)));

  std::ofstream(file) << "-- schemagate:revision bbbbbbbbbbb2\n"
                         "-- schemagate:parents aaaaaaaaaaa1\n\n-- schemagate:up\nSELECT 1;\n";
  auto no_down = run_cli(project, "", {"test", "--dev-url", test_server_url()});
  expect_exit(no_down, 1);
  CHECK_THAT(no_down.err, Catch::Contains("revision bbbbbbbbbbb2 has no down section"));
}

TEST_CASE("test: the dev server comes from --dev-url or dev_url, and its absence is explained",
          "[schema][test-command]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE t (id int);\n", "DROP TABLE t;\n");
  auto missing = run_cli(project, "", {"test"});
  expect_exit(missing, 2);
  CHECK_THAT(missing.err, Catch::Contains("--dev-url URL or set dev_url in schemagate.yaml"));

  TempDir config_dir;
  auto config = config_dir.write("schemagate.yaml", "directory: " + project.root().string() +
                                                        "\ndev_url: " + test_server_url() + "\n");
  auto from_config = run_process({schemagate_binary(), "--config", config.string(), "test"});
  expect_exit(from_config, 0);
  CHECK_THAT(from_config.out, Catch::Contains("ok aaaaaaaaaaa1"));

  auto unreachable = run_cli(project, "", {"test", "--dev-url",
                                           "postgresql://postgres:secret@127.0.0.1:9/postgres"});
  expect_exit(unreachable, 3);
  CHECK_THAT(unreachable.err, Catch::Contains("dev server"));
  CHECK_THAT(unreachable.err, !Catch::Contains("secret"));
}
