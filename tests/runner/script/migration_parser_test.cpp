#include <catch2/catch.hpp>

#include "script/migration_parser.h"
#include "script/revision_writer.h"

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

TEST_CASE("a repeatable revision: no parents, no down, transactional", "[parser][repeatable]") {
  auto migration = parse_migration("versions/r.sql",
                                   "-- schemagate:revision r_views\n"
                                   "-- schemagate:message views\n"
                                   "-- schemagate:repeatable true\n"
                                   "-- schemagate:up\n"
                                   "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
  REQUIRE(migration.ok());
  CHECK(migration->repeatable);
  CHECK(migration->revision.parents.empty());
  CHECK_FALSE(migration->down);

  auto versioned = parse_migration("versions/v.sql",
                                   "-- schemagate:revision v1\n-- schemagate:up\nSELECT 1;\n");
  REQUIRE(versioned.ok());
  CHECK_FALSE(versioned->repeatable);
}

TEST_CASE("a repeatable revision refuses what cannot be repeated, by line", "[parser][repeatable]") {
  const std::string head = "-- schemagate:revision r1\n-- schemagate:repeatable true\n";
  CHECK_THAT(parse_error(head + "-- schemagate:parents p1\n-- schemagate:up\nSELECT 1;\n").message(),
             Catch::Contains("versions/x.sql:3") && Catch::Contains("has no parents"));
  CHECK_THAT(parse_error(head + "-- schemagate:up\nSELECT 1;\n-- schemagate:down\nSELECT 2;\n")
                 .message(),
             Catch::Contains("versions/x.sql:5") && Catch::Contains("no down section"));
  CHECK_THAT(parse_error(head + "-- schemagate:transactional false\n-- schemagate:up\nSELECT 1;\n")
                 .message(),
             Catch::Contains("versions/x.sql:3") && Catch::Contains("one transaction"));
  CHECK_THAT(parse_error(head + "-- schemagate:branch-labels b\n-- schemagate:up\nSELECT 1;\n")
                 .message(),
             Catch::Contains("versions/x.sql:3") && Catch::Contains("branch labels"));
  CHECK_THAT(parse_error("-- schemagate:revision r1\n-- schemagate:repeatable yes\n"
                         "-- schemagate:up\n")
                 .message(),
             Catch::Contains("versions/x.sql:2") && Catch::Contains("'true' or 'false'"));
}

TEST_CASE("the phase header: expand by default, contract when declared", "[parser][phase]") {
  auto plain = parse_migration("v.sql", "-- schemagate:revision a1\n-- schemagate:up\n");
  REQUIRE(plain.ok());
  CHECK(plain->revision.phase == script::Phase::kExpand);
  auto contract = parse_migration(
      "v.sql", "-- schemagate:revision a1\n-- schemagate:phase contract\n-- schemagate:up\n");
  REQUIRE(contract.ok());
  CHECK(contract->revision.phase == script::Phase::kContract);
  auto expand = parse_migration(
      "v.sql", "-- schemagate:revision a1\n-- schemagate:phase expand\n-- schemagate:up\n");
  REQUIRE(expand.ok());
  CHECK(expand->revision.phase == script::Phase::kExpand);
}

TEST_CASE("an unknown phase names the file and line", "[parser][phase][validation]") {
  Error error = parse_error("-- schemagate:revision a1\n\n-- schemagate:phase migrate\n"
                            "-- schemagate:up\n");
  CHECK_THAT(error.message(), Catch::Contains("versions/x.sql:3:"));
  CHECK_THAT(error.message(), Catch::Contains("'expand' or 'contract', not 'migrate'"));
  error = parse_error("-- schemagate:revision a1\n-- schemagate:phase\n-- schemagate:up\n");
  CHECK_THAT(error.message(), Catch::Contains("versions/x.sql:2:"));
  error = parse_error("-- schemagate:revision a1\n-- schemagate:phase contract\n"
                      "-- schemagate:phase expand\n-- schemagate:up\n");
  CHECK_THAT(error.message(), Catch::Contains("appears twice"));
}

TEST_CASE("a contract revision keeps its phase when written and read back", "[parser][phase]") {
  auto parsed = parse_migration(
      "v.sql", "-- schemagate:revision a1\n-- schemagate:phase contract\n-- schemagate:up\n");
  REQUIRE(parsed.ok());
  auto again = parse_migration("v.sql", script::render_migration(*parsed));
  REQUIRE(again.ok());
  CHECK(again->revision.phase == script::Phase::kContract);
  auto plain = parse_migration("v.sql", "-- schemagate:revision a1\n-- schemagate:up\n");
  REQUIRE(plain.ok());
  CHECK(script::render_migration(*plain).find("schemagate:phase") == std::string::npos);
}

TEST_CASE("a header alone: read up to the up marker, more asked for when cut short",
          "[parser][header]") {
  const std::string text = "-- schemagate:revision 3f2a9c1b7d4e\n-- schemagate:parents 1a2b3c4d5e6f\n"
                           "-- schemagate:phase contract\n\n-- schemagate:up\nSELECT 1;\n"
                           "-- schemagate:up\n";
  // Cut inside the header, the file going on: nothing yet, no error.
  for (size_t cut : {size_t(0), size_t(10), size_t(36), size_t(text.find("-- schemagate:up") + 5)}) {
    script::Migration cut_short;
    auto partial = script::parse_migration_header("x.sql", text.substr(0, cut), false, cut_short);
    REQUIRE(partial.ok());
    CHECK_FALSE(*partial);
  }
  // Whole, it stops at the marker: the second up marker is a body's problem.
  script::Migration migration;
  auto header = script::parse_migration_header("x.sql", text, true, migration);
  REQUIRE(header.ok());
  REQUIRE(*header);
  CHECK(migration.path == "x.sql");
  CHECK(migration.revision.id == "3f2a9c1b7d4e");
  CHECK(migration.revision.parents == std::vector<std::string>{"1a2b3c4d5e6f"});
  CHECK(migration.revision.phase == script::Phase::kContract);
  CHECK(migration.lines.parents == 2);
  CHECK(migration.up.first_line == 6);
  CHECK(migration.up.sql.empty());
  CHECK_FALSE(parse_migration("x.sql", text).ok());
}

TEST_CASE("a header alone reports the errors a whole parse does", "[parser][header]") {
  auto header_error = [](const std::string& text) {
    script::Migration migration;
    auto header = script::parse_migration_header("versions/x.sql", text, true, migration);
    REQUIRE_FALSE(header.ok());
    CHECK(header.error().message() == parse_error(text).message());
    return header.error().message();
  };
  CHECK_THAT(header_error("-- schemagate:revision 3f2a9c1b7d4e\n-- schemagate:parent x\n"
                          "-- schemagate:up\n"),
             Catch::StartsWith("versions/x.sql:2: unknown directive"));
  CHECK_THAT(header_error("-- schemagate:revision 3f2a9c1b7d4e\nSELECT 1;\n-- schemagate:up\n"),
             Catch::StartsWith("versions/x.sql:2: SQL before"));
  CHECK_THAT(header_error("-- schemagate:revision 3f2a9c1b7d4e\n-- nothing else\n"),
             Catch::StartsWith("versions/x.sql:2: no '-- schemagate:up' section"));
  CHECK_THAT(header_error("-- schemagate:message no id\n-- schemagate:up\n"),
             Catch::StartsWith("versions/x.sql:1: no '-- schemagate:revision"));
  CHECK_THAT(header_error("-- schemagate:revision 3f2a9c1b7d4e\n"
                          "-- schemagate:parents 1a2b3c4d5e6f, 1a2b3c4d5e6f\n-- schemagate:up\n"),
             Catch::Contains("a parent is listed twice"));
}
