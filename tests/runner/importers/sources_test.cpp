#include <catch2/catch.hpp>

#include "importers/source_history.h"
#include "importers/source_text.h"
#include "support/temp_dir.h"

using namespace schemagate;
using importers::Format;
using testing::TempDir;

namespace {

std::vector<std::string> versions_of(const importers::SourceHistory& history) {
  std::vector<std::string> versions;
  for (const auto& migration : history.migrations) versions.push_back(migration.version.to_string());
  return versions;
}

void write_noise(const TempDir& dir) {
  dir.write("README.md", "# migrations\n");
  dir.write("migrate.sh", "#!/bin/sh\n");
  dir.write("atlas.sum", "h1:abc=\n");
  dir.write(".gitignore", "*.bak\n");
}

}  // namespace

TEST_CASE("golang-migrate: numeric order, optional downs, other files ignored",
          "[importers][golang-migrate]") {
  TempDir dir;
  write_noise(dir);
  dir.write("10_ten.up.sql", "SELECT 10;\n");
  dir.write("10_ten.down.sql", "SELECT -10;\n");
  dir.write("2_add_users.up.sql", "CREATE TABLE users (id int);");
  dir.write("1_init.up.sql", "");
  dir.write("1_init.down.sql", "-- nothing\n");
  auto history = importers::read_history(Format::kGolangMigrate, dir.path());
  REQUIRE(history.ok());
  CHECK(versions_of(*history) == std::vector<std::string>{"1", "2", "10"});
  const auto& users = history->migrations[1];
  CHECK(users.description == "add users");
  CHECK(users.up.sql == "CREATE TABLE users (id int);");
  CHECK(users.up.path == "2_add_users.up.sql");
  CHECK_FALSE(users.down.has_value());
  REQUIRE(history->migrations[2].down.has_value());
  CHECK(history->migrations[2].down->sql == "SELECT -10;\n");
}

TEST_CASE("golang-migrate: duplicates and orphan downs name their files",
          "[importers][golang-migrate]") {
  TempDir dir;
  dir.write("1_a.up.sql", "SELECT 1;");
  dir.write("001_b.up.sql", "SELECT 1;");
  dir.write("3_c.down.sql", "SELECT 1;");
  auto history = importers::read_history(Format::kGolangMigrate, dir.path());
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message(), Catch::Contains("has a second up file"));
  CHECK_THAT(history.error().message(),
             Catch::Contains("3_c.down.sql: a down migration without its up file"));
}

TEST_CASE("flyway: dotted versions with gaps, undo files, subdirectories",
          "[importers][flyway]") {
  TempDir dir;
  write_noise(dir);
  dir.write("V1__init.sql", "CREATE TABLE a (id int);\n");
  dir.write("U1__init.sql", "DROP TABLE a;\n");
  dir.write("V1.1__add_b.sql", "SELECT 1;\n");
  dir.write("later/V2_1__two_one.sql", "SELECT 21;\n");
  dir.write("V10__ten.sql", "SELECT 10;\n");
  dir.write("V2__two.sql", "SELECT 2;\n");
  dir.write("beforeMigrate.sql", "SELECT 'callback';\n");
  auto history = importers::read_history(Format::kFlyway, dir.path());
  REQUIRE(history.ok());
  CHECK(versions_of(*history) == std::vector<std::string>{"1", "1.1", "2", "2.1", "10"});
  REQUIRE(history->migrations[0].down.has_value());
  CHECK(history->migrations[0].down->path == "U1__init.sql");
  CHECK(history->migrations[3].up.path == "later/V2_1__two_one.sql");
  CHECK(history->migrations[3].description == "two one");
  CHECK_FALSE(history->migrations[1].down.has_value());
}

TEST_CASE("flyway: repeatable migrations are refused by name", "[importers][flyway]") {
  TempDir dir;
  dir.write("V1__init.sql", "SELECT 1;\n");
  dir.write("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
  dir.write("U7__orphan.sql", "SELECT 1;\n");
  auto history = importers::read_history(Format::kFlyway, dir.path());
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message(),
             Catch::Contains("R__views.sql: repeatable Flyway migrations are not supported"));
  CHECK_THAT(history.error().message(), Catch::Contains("U7__orphan.sql: an undo file"));
}

TEST_CASE("dbmate: sections, transaction:false, lines", "[importers][dbmate]") {
  TempDir dir;
  write_noise(dir);
  dir.write("20230101000000_init.sql",
            "-- a header comment\n-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\n"
            "DROP TABLE a;\n");
  dir.write("20230102000000_index.sql",
            "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON a (id);\n"
            "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n");
  dir.write("20230103000000_no_down.sql", "--migrate:up\nSELECT 1;");
  auto history = importers::read_history(Format::kDbmate, dir.path());
  REQUIRE(history.ok());
  REQUIRE(history->migrations.size() == 3);
  const auto& init = history->migrations[0];
  CHECK(init.up.sql == "CREATE TABLE a (id int);\n\n");
  CHECK(init.up.first_line == 3);
  REQUIRE(init.down.has_value());
  CHECK(init.down->sql == "DROP TABLE a;\n");
  CHECK(init.down->first_line == 6);
  CHECK_FALSE(init.declared_nontransactional);
  CHECK(history->migrations[1].declared_nontransactional);
  CHECK(history->migrations[2].up.sql == "SELECT 1;");
  CHECK_FALSE(history->migrations[2].down.has_value());
}

TEST_CASE("dbmate: a file without its up marker is refused", "[importers][dbmate]") {
  TempDir dir;
  dir.write("20230101000000_init.sql", "CREATE TABLE a (id int);\n");
  auto history = importers::read_history(Format::kDbmate, dir.path());
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message(),
             Catch::StartsWith("20230101000000_init.sql:1: a dbmate migration holds one"));
}

TEST_CASE("diesel: versions without dashes, optional down, metadata.toml",
          "[importers][diesel]") {
  TempDir dir;
  write_noise(dir);
  dir.write(".keep", "");
  dir.write("00000000000000_diesel_initial_setup/up.sql", "SELECT 0;\n");
  dir.write("00000000000000_diesel_initial_setup/down.sql", "SELECT 0;\n");
  dir.write("2023-01-05-120000_create_users/up.sql", "CREATE TABLE users (id int);\n");
  dir.write("2023-01-05-120000_create_users/down.sql", "DROP TABLE users;\n");
  dir.write("2023-01-06-080000_index/up.sql", "CREATE INDEX CONCURRENTLY i ON users (id);\n");
  dir.write("2023-01-06-080000_index/metadata.toml", "run_in_transaction = false\n");
  auto history = importers::read_history(Format::kDiesel, dir.path());
  REQUIRE(history.ok());
  CHECK(versions_of(*history) ==
        std::vector<std::string>{"0", "20230105120000", "20230106080000"});
  CHECK(history->migrations[1].up.path == "2023-01-05-120000_create_users/up.sql");
  CHECK(history->migrations[1].description == "create users");
  CHECK(history->migrations[2].declared_nontransactional);
  CHECK_FALSE(history->migrations[2].down.has_value());
}

TEST_CASE("flyway script configuration files are read or refused by line", "[importers]") {
  auto config = importers::parse_flyway_script_config(
      "V2__idx.sql.conf", "# built concurrently\nexecuteInTransaction = false\nencoding=utf-8\n");
  REQUIRE(config.ok());
  CHECK(config->nontransactional);
  auto unknown = importers::parse_flyway_script_config("V2__idx.sql.conf",
                                                       "\nshouldExecute=false\n");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error().message(),
             Catch::StartsWith("V2__idx.sql.conf:2: Flyway script option 'shouldExecute=false'"));
  CHECK_THAT(importers::parse_flyway_script_config("a.conf", "encoding=ISO-8859-1\n")
                 .error()
                 .message(),
             Catch::StartsWith("a.conf:1: encoding ISO-8859-1"));
  CHECK_THAT(importers::parse_flyway_script_config("a.conf", "oops\n").error().message(),
             Catch::StartsWith("a.conf:1: expected key=value"));
}

TEST_CASE("flyway placeholders are found", "[importers]") {
  auto placeholder = importers::find_flyway_placeholder("GRANT SELECT ON t TO ${reader};\n");
  REQUIRE(placeholder);
  CHECK(placeholder->offset == 21);
  CHECK(placeholder->text == "${reader}");
  CHECK(importers::find_flyway_placeholder("${flyway:user")->text == "${flyway:user");
  CHECK_FALSE(importers::find_flyway_placeholder("SELECT '$1', $$body$$;"));
}
