#include <catch2/catch.hpp>

#include "sqlite/connection.h"
#include "sqlite/schema_snapshot.h"
#include "sqlite/sqlite_dialect.h"

using namespace schemagate;
using sqlite::Connection;

namespace {

std::unique_ptr<Connection> memory() {
  auto opened = Connection::open(sqlite::SqliteUrl{":memory:", true});
  REQUIRE(opened);
  return std::move(opened).value();
}

std::vector<std::string> snapshot_after(const std::string& script) {
  auto connection = memory();
  engine::VersionTables tables = sqlite::sqlite_tables({});
  connection->exec_script(sqlite::SqliteDialect().create_tables(tables));
  connection->exec_script(script);
  return sqlite::schema_snapshot(*connection, tables);
}

}  // namespace

TEST_CASE("a table rebuilt and renamed compares equal to one created in one go",
          "[sqlite][snapshot]") {
  auto direct = snapshot_after(
      "CREATE TABLE books (id integer PRIMARY KEY, slug text NOT NULL UNIQUE);"
      "CREATE INDEX books_slug ON books (slug) WHERE slug <> '';");
  auto rebuilt = snapshot_after(
      "CREATE TABLE books (id integer PRIMARY KEY, slug text);"
      "CREATE TABLE books_new (id integer PRIMARY KEY, slug text NOT NULL UNIQUE);"
      "INSERT INTO books_new SELECT * FROM books; DROP TABLE books;"
      "ALTER TABLE books_new RENAME TO books;"
      "CREATE INDEX books_slug ON books (slug) WHERE slug <> '';");
  CHECK(sqlite::snapshot_differences(direct, rebuilt).empty());
  CHECK_FALSE(direct.empty());
}

TEST_CASE("a column's type, NOT NULL and foreign key show as differences, the bookkeeping not",
          "[sqlite][snapshot]") {
  auto before = snapshot_after("CREATE TABLE a (id integer PRIMARY KEY, name text);");
  auto after = snapshot_after(
      "CREATE TABLE a (id integer PRIMARY KEY, name integer NOT NULL REFERENCES b (id));");
  auto differences = sqlite::snapshot_differences(before, after);
  REQUIRE(differences.size() == 3);
  CHECK_THAT(differences[0], Catch::StartsWith("missing: table a column name TEXT"));
  CHECK_THAT(differences[1], Catch::Contains("unexpected: table a column name INTEGER NOT NULL"));
  CHECK_THAT(differences[2], Catch::Contains("foreign key 0.0 (name) references b (id)"));
  for (const std::string& line : before) {
    CHECK(line.find("schemagate_") == std::string::npos);
  }
}
