#include <catch2/catch.hpp>

#include "script/migration_parser.h"
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

TEST_CASE("a malformed header is reported at load, with its line", "[script_directory][lazy]") {
  TempDir dir;
  testing::write_migration(dir, "aaaaaaaaaaa1", {});
  dir.write("versions/bbbbbbbbbbb2_b.sql",
            "-- schemagate:revision bbbbbbbbbbb2\n-- schemagate:parents aaaaaaaaaaa1\n"
            "-- schemagate:phase later\n-- schemagate:up\nSELECT 1;\n");
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE_FALSE(scripts.ok());
  CHECK(scripts.error().exit_code() == 2);
  CHECK_THAT(scripts.error().message(),
             Catch::Contains("bbbbbbbbbbb2_b.sql:3: '-- schemagate:phase' must be"));
}

TEST_CASE("a malformed body is reported with file and line when it is needed",
          "[script_directory][lazy]") {
  TempDir dir;
  testing::write_migration(dir, "aaaaaaaaaaa1", {});
  dir.write("versions/bbbbbbbbbbb2_b.sql",
            "-- schemagate:revision bbbbbbbbbbb2\n-- schemagate:parents aaaaaaaaaaa1\n"
            "-- schemagate:up\nSELECT 1;\n-- schemagate:message late\n");
  // The graph needs headers only: the directory loads and plans.
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  auto broken = scripts->map().find("bbbbbbbbbbb2");
  REQUIRE(broken);
  CHECK(scripts->map().heads() == std::vector<script::RevisionMap::Index>{*broken});

  const script::Migration& migration = scripts->migration(*broken);
  REQUIRE(migration.body_error);
  CHECK(migration.body_error->exit_code() == 2);
  CHECK_THAT(migration.body_error->message(),
             Catch::Contains("bbbbbbbbbbb2_b.sql:5: header directive '-- schemagate:message' "
                             "inside a body"));
  auto body = script::body_for(migration, false);
  REQUIRE_FALSE(body.ok());
  CHECK_THAT(body.error().message(), Catch::Contains("bbbbbbbbbbb2_b.sql:5:"));
  auto checksum = scripts->checksum(*broken);
  REQUIRE_FALSE(checksum.ok());
  CHECK_THAT(checksum.error().message(), Catch::Contains("bbbbbbbbbbb2_b.sql:5:"));

  // Its well-formed parent reads fine.
  auto parent = scripts->map().find("aaaaaaaaaaa1");
  REQUIRE(parent);
  CHECK_FALSE(scripts->migration(*parent).body_error);
  CHECK(scripts->checksum(*parent).ok());
}

TEST_CASE("a NUL byte in a body is reported when the body is needed, in the header at load",
          "[script_directory][lazy][hostile]") {
  TempDir dir;
  dir.write("versions/aaaaaaaaaaa1_a.sql", "-- schemagate:revision aaaaaaaaaaa1\n-- schemagate:up\n"
                                           "SELECT 1;\nSELECT 2" + std::string(1, '\0') + ";\n");
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  auto body = script::body_for(scripts->migration(0), false);
  REQUIRE_FALSE(body.ok());
  CHECK_THAT(body.error().message(), Catch::Contains("aaaaaaaaaaa1_a.sql:4: a NUL byte"));

  dir.write("versions/aaaaaaaaaaa1_a.sql", "-- schemagate:revision aaaaaaaaaaa1\n-- " +
                                               std::string(1, '\0') + "\n-- schemagate:up\n");
  auto refused = ScriptDirectory::load(dir.path());
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message(), Catch::Contains("aaaaaaaaaaa1_a.sql:2: a NUL byte"));
}

TEST_CASE("bodies read on demand are those the whole file holds", "[script_directory][lazy]") {
  TempDir dir;
  std::string text = testing::migration_text("aaaaaaaaaaa1", {}, "CREATE TABLE t (id int);\n",
                                             "DROP TABLE t;\n", "-- schemagate:transactional false\n");
  dir.write("versions/aaaaaaaaaaa1_a.sql", text);
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  auto whole = script::parse_migration("x.sql", text);
  REQUIRE(whole.ok());
  const script::Migration& migration = scripts->migration(0);
  CHECK_FALSE(migration.transactional);
  CHECK(migration.up.sql == whole->up.sql);
  CHECK(migration.up.first_line == whole->up.first_line);
  REQUIRE(migration.down);
  CHECK(migration.down->sql == whole->down->sql);
  CHECK(migration.down->first_line == whole->down->first_line);
  CHECK(*scripts->checksum(0) == whole->checksum());
}

TEST_CASE("a header longer than the first read is read whole", "[script_directory][lazy]") {
  TempDir dir;
  std::string comments;
  for (int i = 0; i < 400; ++i) comments += "-- a long explanation, line " + std::to_string(i) + "\n";
  dir.write("versions/aaaaaaaaaaa1_a.sql",
            "-- schemagate:revision aaaaaaaaaaa1\n" + comments +
                "-- schemagate:message far down\n-- schemagate:up\nSELECT 1;\n");
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  CHECK(scripts->map().revision(0).message == "far down");
  CHECK(scripts->migration(0).up.first_line == 404);
  CHECK(scripts->migration(0).up.sql == "SELECT 1;\n");
}

TEST_CASE("a repeatable revision is read whole at load", "[script_directory][lazy][repeatable]") {
  TempDir dir;
  dir.write("versions/aaaaaaaaaaa1_r.sql",
            "-- schemagate:revision aaaaaaaaaaa1\n-- schemagate:repeatable true\n"
            "-- schemagate:up\nSELECT 1;\n-- schemagate:down\nSELECT 2;\n");
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE_FALSE(scripts.ok());
  CHECK_THAT(scripts.error().message(),
             Catch::Contains("aaaaaaaaaaa1_r.sql:5: a repeatable revision has no down section"));
}

TEST_CASE("a header edited after the load is not run with the plan of the old one",
          "[script_directory][lazy]") {
  TempDir dir;
  testing::write_migration(dir, "aaaaaaaaaaa1", {});
  testing::write_migration(dir, "bbbbbbbbbbb2", {"aaaaaaaaaaa1"});
  auto scripts = ScriptDirectory::load(dir.path());
  REQUIRE(scripts.ok());
  testing::write_migration(dir, "bbbbbbbbbbb2", {});
  auto index = scripts->map().find("bbbbbbbbbbb2");
  REQUIRE(index);
  auto body = script::body_for(scripts->migration(*index), false);
  REQUIRE_FALSE(body.ok());
  CHECK_THAT(body.error().message(), Catch::Contains("bbbbbbbbbbb2_test.sql: its header changed"));
}
