#include <catch2/catch.hpp>

#include "script/script_directory.h"
#include "support/temp_dir.h"

using namespace schemagate;
using script::ScriptDirectory;
using testing::TempDir;

TEST_CASE("loads every .sql file and ignores the rest", "[script_directory]") {
  TempDir dir;
  testing::write_migration(dir, "aaaaaaaaaaa1", {});
  testing::write_migration(dir, "bbbbbbbbbbb2", {"aaaaaaaaaaa1"});
  dir.write("versions/README.md", "not a migration");
  dir.write("versions/notes.txt", "-- schemagate:nonsense");
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  CHECK(scripts->map().size() == 2);
  auto head = scripts->map().heads().front();
  CHECK(scripts->map().id(head) == "bbbbbbbbbbb2");
  CHECK(scripts->migration(head).path ==
        (dir.path() / "versions" / "bbbbbbbbbbb2_test.sql").string());
}

TEST_CASE("a missing directory says how to create one", "[script_directory]") {
  TempDir dir;
  auto scripts = ScriptDirectory::load(dir.path() / "nope");
  REQUIRE_FALSE(scripts.ok());
  CHECK(scripts.error().exit_code() == 2);
  CHECK_THAT(scripts.error().message(), Catch::Contains("schemagate init"));
}

TEST_CASE("every broken file is reported, each by name", "[script_directory]") {
  TempDir dir;
  dir.write("versions/aaaaaaaaaaa1_a.sql", "-- schemagate:revision aaaaaaaaaaa1\nSELECT 1;\n");
  dir.write("versions/bbbbbbbbbbb2_b.sql", "-- schemagate:revision not-an-id\n-- schemagate:up\n");
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE_FALSE(scripts.ok());
  CHECK_THAT(scripts.error().message(), Catch::Contains("aaaaaaaaaaa1_a.sql:2"));
  CHECK_THAT(scripts.error().message(), Catch::Contains("bbbbbbbbbbb2_b.sql:1"));
}

TEST_CASE("the file name must start with the revision id", "[script_directory]") {
  TempDir dir;
  dir.write("versions/cccccccccccc_x.sql", testing::migration_text("aaaaaaaaaaa1", {}));
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE_FALSE(scripts.ok());
  CHECK_THAT(scripts.error().message(), Catch::Contains("rename it to aaaaaaaaaaa1_<slug>.sql"));
}

TEST_CASE("graph errors name the files involved", "[script_directory]") {
  TempDir dir;
  testing::write_migration(dir, "aaaaaaaaaaa1", {"ddddddddddd4"});
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE_FALSE(scripts.ok());
  CHECK_THAT(scripts.error().message(), Catch::Contains("aaaaaaaaaaa1_test.sql:2: parent "
                                                        "ddddddddddd4"));
}
