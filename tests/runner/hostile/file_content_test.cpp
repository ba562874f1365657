// What a migration directory may hold besides clean UTF-8 migrations: NUL
// bytes, byte order marks, links to nowhere, and graphs that do not close.
#include <catch2/catch.hpp>

#include <filesystem>

#include "script/migration_parser.h"
#include "script/script_directory.h"
#include "sql/body_analyzer.h"
#include "support/temp_dir.h"

using namespace schemagate;
using script::ScriptDirectory;
using testing::TempDir;

namespace {

const std::string kHeader = "-- schemagate:revision aaaaaaaaaaa1\n-- schemagate:up\n";

std::string load_error(const TempDir& dir) {
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE_FALSE(scripts.ok());
  CHECK(scripts.error().exit_code() == 2);
  return scripts.error().message();
}

}  // namespace

TEST_CASE("a NUL byte in a body is refused at its line", "[parser][hostile]") {
  std::string text = kHeader + "SELECT 1;\nINSERT INTO t VALUES ('a');" + std::string(1, '\0') +
                     " DROP TABLE t;\n";
  auto migration = script::parse_migration("versions/aaaaaaaaaaa1_x.sql", text);
  REQUIRE_FALSE(migration.ok());
  CHECK(migration.error().exit_code() == 2);
  CHECK_THAT(migration.error().message(),
             Catch::StartsWith("versions/aaaaaaaaaaa1_x.sql:4: a NUL"));
}

TEST_CASE("a UTF-16 file is refused with a hint", "[parser][hostile]") {
  std::string utf16 = "\xFF\xFE";
  for (char c : kHeader) utf16 += std::string(1, c) + '\0';
  auto migration = script::parse_migration("x.sql", utf16);
  REQUIRE_FALSE(migration.ok());
  CHECK_THAT(migration.error().message(), Catch::Contains("UTF-16"));
}

TEST_CASE("a body with a NUL byte is refused by the analysis too", "[sql][hostile]") {
  // Imported bodies reach the analysis without the migration parser.
  std::string body = std::string("SELECT 1;\nSELECT 2") + '\0' + ";\n";
  auto analysis = sql::analyze_body("1_x.up.sql", body, 5, true);
  REQUIRE_FALSE(analysis.ok());
  CHECK_THAT(analysis.error().message(), Catch::StartsWith("1_x.up.sql:6: a NUL byte"));
}

TEST_CASE("a UTF-8 byte order mark is skipped", "[parser][hostile]") {
  auto migration = script::parse_migration("x.sql", "\xEF\xBB\xBF" + kHeader + "SELECT 1;\n");
  REQUIRE(migration.ok());
  CHECK(migration->revision.id == "aaaaaaaaaaa1");
  CHECK(migration->up.sql == "SELECT 1;\n");
  CHECK(migration->up.first_line == 3);
}

TEST_CASE("a link to itself in versions/ is an error naming it", "[script_directory][hostile]") {
  TempDir dir;
  dir.write("versions/aaaaaaaaaaa1_x.sql", kHeader);
  std::filesystem::create_symlink("loop.sql", dir.path() / "versions" / "loop.sql");
  CHECK_THAT(load_error(dir), Catch::Contains("loop.sql: "));
}

TEST_CASE("a link to a missing migration is an error naming it", "[script_directory][hostile]") {
  TempDir dir;
  dir.write("versions/aaaaaaaaaaa1_x.sql", kHeader);
  std::filesystem::create_symlink("gone.sql", dir.path() / "versions" / "bbbbbbbbbbb2_y.sql");
  CHECK_THAT(load_error(dir), Catch::Contains("bbbbbbbbbbb2_y.sql: a link to a file that does "
                                              "not exist"));
}

TEST_CASE("graph errors name the line of the directive at fault",
          "[script_directory][hostile]") {
  SECTION("duplicate id") {
    TempDir dir;
    dir.write("versions/aaaaaaaaaaa1_x.sql", "-- x\n" + kHeader);
    dir.write("versions/aaaaaaaaaaa1_y.sql", kHeader);
    std::string message = load_error(dir);
    CHECK_THAT(message, Catch::Contains("aaaaaaaaaaa1_x.sql:2 and "));
    CHECK_THAT(message, Catch::Contains("aaaaaaaaaaa1_y.sql:1;"));
  }
  SECTION("unknown parent") {
    TempDir dir;
    dir.write("versions/aaaaaaaaaaa1_x.sql",
              "-- schemagate:revision aaaaaaaaaaa1\n-- schemagate:message m\n"
              "-- schemagate:parents bbbbbbbbbbb2\n-- schemagate:up\n");
    CHECK_THAT(load_error(dir), Catch::Contains("aaaaaaaaaaa1_x.sql:3: parent bbbbbbbbbbb2"));
  }
  SECTION("cycle") {
    TempDir dir;
    dir.write("versions/aaaaaaaaaaa1_x.sql",
              "-- schemagate:revision aaaaaaaaaaa1\n-- schemagate:parents bbbbbbbbbbb2\n"
              "-- schemagate:up\n");
    dir.write("versions/bbbbbbbbbbb2_y.sql",
              "-- schemagate:revision bbbbbbbbbbb2\n\n-- schemagate:parents aaaaaaaaaaa1\n"
              "-- schemagate:up\n");
    std::string message = load_error(dir);
    CHECK_THAT(message, Catch::Contains("cycle"));
    CHECK_THAT(message, Catch::Contains("aaaaaaaaaaa1_x.sql:2)"));
    CHECK_THAT(message, Catch::Contains("bbbbbbbbbbb2_y.sql:3)"));
  }
  SECTION("branch label declared twice") {
    TempDir dir;
    dir.write("versions/aaaaaaaaaaa1_x.sql",
              "-- schemagate:revision aaaaaaaaaaa1\n-- schemagate:branch-labels app\n"
              "-- schemagate:up\n");
    dir.write("versions/bbbbbbbbbbb2_y.sql",
              "-- schemagate:revision bbbbbbbbbbb2\n-- schemagate:parents aaaaaaaaaaa1\n"
              "-- schemagate:branch-labels app\n-- schemagate:up\n");
    CHECK_THAT(load_error(dir), Catch::Contains("bbbbbbbbbbb2_y.sql:3: branch label 'app'"));
  }
}
