#include <catch2/catch.hpp>

#include "config/config.h"
#include "support/temp_dir.h"

using namespace schemagate;
using testing::TempDir;

TEST_CASE("every setting is read, directories relative to the file", "[config]") {
  TempDir dir;
  auto path = dir.write("schemagate.yaml",
                        "directory: db/migrations\n"
                        "version_table:\n  schema: app\n  name: versions\n"
                        "history_table: app_history\n"
                        "lock:\n  mode: table\n  key: 42\n  timeout: 12.5\n"
                        "statement:\n  lock_timeout: 2\n  lock_retries: 7\n"
                        "wait_for_db: 30\n");
  auto config = config::load(path);
  REQUIRE(config.ok());
  CHECK(config->directory == dir.path() / "db/migrations");
  CHECK(config->version_schema == "app");
  CHECK(config->version_table == "versions");
  CHECK(config->history_table == "app_history");
  CHECK(config->lock_mode == "table");
  CHECK(config->lock_key == 42);
  CHECK(config->lock_timeout_seconds == 12.5);
  CHECK(config->statement_lock_timeout_seconds == 2);
  CHECK(config->lock_retries == 7);
  CHECK(config->wait_for_db_seconds == 30);
}

TEST_CASE("the file init writes loads cleanly", "[config]") {
  TempDir dir;
  auto config = config::load(dir.write("schemagate.yaml", config::default_file_text("m")));
  REQUIRE(config.ok());
  CHECK(config->directory == dir.path() / "m");
}

TEST_CASE("bad settings name the file, line and key", "[config]") {
  TempDir dir;
  auto check = [&](const std::string& text, const std::string& expected) {
    auto config = config::load(dir.write("schemagate.yaml", text));
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().exit_code() == 2);
    CHECK_THAT(config.error().message(), Catch::Contains(expected));
  };
  check("directory: m\nlock:\n  timout: 3\n", "schemagate.yaml:3: unknown setting 'lock.timout'");
  check("lock:\n  timeout: soon\n", "schemagate.yaml:2: 'lock.timeout' has the wrong type");
  check("lock:\n  mode: pessimistic\n", "'lock.mode' must be 'advisory' or 'table'");
  check("directory: [a, b\n", "not valid YAML");
  check("- a\n- b\n", "the top level must be a mapping");
}

TEST_CASE("negative, NaN and infinite timeouts are refused at their line", "[config][hostile]") {
  std::vector<std::string> texts = {"lock:\n  timeout: -1\n", "lock:\n  timeout: .nan\n",
                                    "statement:\n  lock_timeout: .inf\n", "wait_for_db: -0.5\n",
                                    "statement:\n  lock_retries: -3\n"};
  for (const std::string& text : texts) {
    TempDir dir;
    auto config = config::load(dir.write("schemagate.yaml", "directory: m\n" + text));
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().exit_code() == 2);
    CHECK_THAT(config.error().message(), Catch::Contains("schemagate.yaml:"));
    CHECK_THAT(config.error().message(), Catch::Contains("0 or more"));
  }
}

TEST_CASE("a key set twice is refused at its second line", "[config][hostile]") {
  TempDir dir;
  auto top = config::load(dir.write("a.yaml", "directory: a\nhistory_table: h\ndirectory: b\n"));
  REQUIRE_FALSE(top.ok());
  CHECK_THAT(top.error().message(), Catch::Contains("a.yaml:3: 'directory' is set twice (first on "
                                                    "line 1)"));
  auto nested = config::load(dir.write("b.yaml", "lock:\n  mode: table\n  mode: advisory\n"));
  REQUIRE_FALSE(nested.ok());
  CHECK_THAT(nested.error().message(), Catch::Contains("b.yaml:3: 'lock.mode' is set twice"));
}

TEST_CASE("names longer than PostgreSQL's identifiers are refused", "[config][hostile]") {
  TempDir dir;
  std::string long_name(64, 's');
  std::vector<std::string> texts = {"version_table:\n  schema: " + long_name + "\n",
                                    "history_table: " + long_name + "\n",
                                    "version_table:\n  name: " + std::string(58, 'v') + "\n"};
  for (const std::string& text : texts) {
    auto config = config::load(dir.write("schemagate.yaml", text));
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message(), Catch::Contains("schemagate.yaml:"));
    CHECK_THAT(config.error().message(), Catch::Contains("choose a shorter name"));
  }
  auto longest = config::load(dir.write("ok.yaml", "version_table:\n  schema: " +
                                                       std::string(63, 's') + "\n  name: " +
                                                       std::string(57, 'v') + "\n"));
  CHECK(longest.ok());
}

TEST_CASE("odd YAML is a typed error, never an exception", "[config][hostile]") {
  TempDir dir;
  std::vector<std::string> texts = {"? [a, b]\n: 1\n", "[[[[[[[[[[", "directory: *x\n",
                                    std::string(5000, '[') + std::string(5000, ']')};
  for (const std::string& text : texts) {
    auto config = config::load(dir.write("schemagate.yaml", text));
    REQUIRE_FALSE(config.ok());
    CHECK(config.error().exit_code() == 2);
  }
}

TEST_CASE("version_table given as a name alone: Alembic's table shared", "[config]") {
  auto config = config::parse("version_table: alembic_version\n", "schemagate.yaml");
  REQUIRE(config.ok());
  CHECK(config->version_table == "alembic_version");
  CHECK(config->version_schema == "public");
  auto empty = config::parse("version_table: ''\n", "schemagate.yaml");
  REQUIRE_FALSE(empty.ok());
  CHECK_THAT(empty.error().message(), Catch::Contains("'version_table.name' must not be empty"));
  CHECK_FALSE(config::parse("lock: advisory\n", "schemagate.yaml").ok());
}

TEST_CASE("the dev server and the declared schema are read, the schema relative to the file",
          "[config][schema]") {
  TempDir dir;
  auto config = config::load(dir.write("schemagate.yaml",
                                       "dev_url: postgresql://dev@localhost/postgres\n"
                                       "schema: db/schema.sql\n"
                                       "schema_command: python3 models.py\n"));
  REQUIRE(config.ok());
  CHECK(config->dev_url == "postgresql://dev@localhost/postgres");
  CHECK(config->schema == dir.path() / "db/schema.sql");
  CHECK(config->schema_command == "python3 models.py");
  auto wrong = config::load(dir.write("bad.yaml", "dev_url: [a, b]\n"));
  REQUIRE_FALSE(wrong.ok());
  CHECK_THAT(wrong.error().message(), Catch::Contains("bad.yaml:1: 'dev_url' has the wrong type"));
}
