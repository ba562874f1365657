#include <catch2/catch.hpp>

#include "script/migration_parser.h"

using namespace schemagate;
using script::parse_migration;

namespace {

Error parse_error(const std::string& text) {
  auto migration = parse_migration("versions/x.sql", text);
  REQUIRE_FALSE(migration.ok());
  CHECK(migration.error().exit_code() == 2);
  return migration.error();
}

}  // namespace

TEST_CASE("a complete header and both bodies", "[parser]") {
  auto migration = parse_migration("v.sql",
                                   "-- schemagate:revision 3f2a9c1b7d4e\n"
                                   "-- schemagate:parents 1a2b3c4d5e6f, 0a2b3c4d5e6f\n"
                                   "-- schemagate:message add users table\n"
                                   "-- schemagate:branch-labels users, accounts\n"
                                   "-- schemagate:transactional false\n"
                                   "-- a free comment\n"
                                   "\n"
                                   "-- schemagate:up\n"
                                   "CREATE TABLE users (id bigint);\n"
                                   "\n"
                                   "-- schemagate:down\n"
                                   "DROP TABLE users;\n");
  REQUIRE(migration.ok());
  CHECK(migration->revision.id == "3f2a9c1b7d4e");
  CHECK(migration->revision.parents == std::vector<std::string>{"1a2b3c4d5e6f", "0a2b3c4d5e6f"});
  CHECK(migration->revision.message == "add users table");
  CHECK(migration->revision.branch_labels == std::vector<std::string>{"users", "accounts"});
  CHECK_FALSE(migration->transactional);
  CHECK(migration->up.sql == "CREATE TABLE users (id bigint);\n\n");
  CHECK(migration->up.first_line == 9);
  REQUIRE(migration->down.has_value());
  CHECK(migration->down->sql == "DROP TABLE users;\n");
  CHECK(migration->down->first_line == 12);
}

TEST_CASE("defaults: a base, transactional, no down section", "[parser]") {
  auto migration = parse_migration("v.sql", "-- schemagate:revision 3f2a9c1b7d4e\n"
                                            "-- schemagate:up\n");
  REQUIRE(migration.ok());
  CHECK(migration->revision.parents.empty());
  CHECK(migration->transactional);
  CHECK(migration->up.sql.empty());
  CHECK_FALSE(migration->down.has_value());
}

TEST_CASE("CRLF line endings are read like LF", "[parser]") {
  auto migration = parse_migration("v.sql", "-- schemagate:revision 3f2a9c1b7d4e\r\n"
                                            "-- schemagate:up\r\nSELECT 1;\r\n");
  REQUIRE(migration.ok());
  CHECK(migration->revision.id == "3f2a9c1b7d4e");
}

TEST_CASE("a file without an up section names the file", "[parser][validation]") {
  Error error = parse_error("-- schemagate:revision 3f2a9c1b7d4e\n\nCREATE TABLE t ();\n");
  CHECK_THAT(error.message(), Catch::StartsWith("versions/x.sql:3:"));
  error = parse_error("-- schemagate:revision 3f2a9c1b7d4e\n-- schemagate:down\n");
  CHECK_THAT(error.message(), Catch::Contains("'-- schemagate:down' before '-- schemagate:up'"));
  error = parse_error("-- schemagate:revision 3f2a9c1b7d4e\n-- just a comment\n");
  CHECK_THAT(error.message(), Catch::Contains("no '-- schemagate:up' section"));
}

TEST_CASE("unparsable headers name the file and line", "[parser][validation]") {
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a-9c\n-- schemagate:up\n").message(),
             Catch::StartsWith("versions/x.sql:1: revision id '3f2a-9c' is not 1 to 32 letters, "
                               "digits and '_'"));
  CHECK_THAT(parse_error("-- schemagate:revision heads\n-- schemagate:up\n").message(),
             Catch::Contains("or is a target keyword"));
  CHECK_THAT(parse_error("-- schemagate:revision " + std::string(33, 'a') + "\n-- schemagate:up\n")
                 .message(),
             Catch::Contains("is not 1 to 32 letters"));
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a9c1b7d4e\n"
                         "-- schemagate:parents z-z\n-- schemagate:up\n")
                 .message(),
             Catch::StartsWith("versions/x.sql:2: parent 'z-z' is not a revision id"));
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a9c1b7d4e\n"
                         "-- schemagate:transactional maybe\n-- schemagate:up\n")
                 .message(),
             Catch::Contains(":2: '-- schemagate:transactional' must be 'true' or 'false'"));
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a9c1b7d4e\n"
                         "-- schemagate:parent 1a2b3c4d5e6f\n-- schemagate:up\n")
                 .message(),
             Catch::Contains(":2: unknown directive '-- schemagate:parent'"));
  CHECK_THAT(parse_error("-- schemagate:message no revision\n-- schemagate:up\n").message(),
             Catch::Contains("no '-- schemagate:revision <id>' header"));
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a9c1b7d4e\n"
                         "-- schemagate:revision 3f2a9c1b7d4f\n-- schemagate:up\n")
                 .message(),
             Catch::Contains(":2: '-- schemagate:revision' appears twice"));
}

TEST_CASE("structure errors inside bodies", "[parser][validation]") {
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a9c1b7d4e\n-- schemagate:up\nSELECT 1;\n"
                         "-- schemagate:up\n")
                 .message(),
             Catch::Contains(":4: a second '-- schemagate:up' marker"));
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a9c1b7d4e\n-- schemagate:up\n"
                         "-- schemagate:message late\n")
                 .message(),
             Catch::Contains(":3: header directive '-- schemagate:message' inside a body"));
  CHECK_THAT(parse_error("-- schemagate:revision 3f2a9c1b7d4e\n"
                         "-- schemagate:parents 3f2a9c1b7d4e\n-- schemagate:up\n")
                 .message(),
             Catch::Contains("lists itself as parent"));
}

TEST_CASE("checksums ignore whitespace noise but see real changes", "[parser][checksum]") {
  auto parse = [](const std::string& up) {
    auto migration = parse_migration("v.sql", "-- schemagate:revision 3f2a9c1b7d4e\n"
                                              "-- schemagate:up\n" + up +
                                              "-- schemagate:down\nDROP TABLE t;\n");
    REQUIRE(migration.ok());
    return migration->checksum();
  };
  std::string base = parse("CREATE TABLE t (id int);\n");
  CHECK(base.size() == 64);
  CHECK(parse("\nCREATE TABLE t (id int);   \n\n") == base);
  CHECK(parse("CREATE TABLE t (id int);\r\n") == base);
  CHECK(parse("CREATE TABLE t (id bigint);\n") != base);
}

TEST_CASE("ids other tools chose (Alembic's 0001_initial) are kept as they are", "[parser]") {
  auto migration = parse_migration("v.sql",
                                   "-- schemagate:revision 0002_Add_Users\n"
                                   "-- schemagate:parents 0001_initial, ae1027a6acf\n"
                                   "-- schemagate:up\n");
  REQUIRE(migration.ok());
  CHECK(migration->revision.id == "0002_Add_Users");
  CHECK(migration->revision.parents == std::vector<std::string>{"0001_initial", "ae1027a6acf"});
  CHECK(script::is_revision_id(std::string(32, 'Z')));
  for (const char* bad : {"", "a+1", "a@b", "a:b", "a b", "réV", "base", "head"}) {
    CAPTURE(bad);
    CHECK_FALSE(script::is_revision_id(bad));
  }
}
