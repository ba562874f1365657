#include <catch2/catch.hpp>

#include "schema/rename.h"

using namespace schemagate::schema;

namespace {

std::vector<Rename> parse(const std::string& text) {
  auto renames = find_renames(SourceFile{"schema.sql", text});
  REQUIRE(renames.ok());
  return *renames;
}

Table table(const std::string& name, std::vector<std::string> columns) {
  Table table;
  table.schema = "public";
  table.name = name;
  for (const std::string& name : columns) {
    Column column;
    column.name = name;
    column.type = "text";
    table.columns.push_back(column);
  }
  return table;
}

Catalog catalog(std::vector<Table> tables) {
  Catalog out;
  for (Table& t : tables) out.tables[key(t.schema, t.name)] = t;
  return out;
}

}  // namespace

TEST_CASE("rename: comments on tables, columns, indexes, views and types are found",
          "[schema][rename]") {
  auto renames = parse(
      "CREATE TABLE books ( -- schemagate:renamed-from book\n"
      "    id int,\n"
      "    isbn13 text, -- schemagate:renamed-from isbn\n"
      "    \"Title\" text -- schemagate:renamed-from \"Name\"\n"
      ");\n"
      "create unique index if not exists books_isbn13_key on books (isbn13); -- schemagate:renamed-from books_isbn_key\n"
      "CREATE MATERIALIZED VIEW app.titles AS -- schemagate:renamed-from names\n"
      "  SELECT 1;\n"
      "CREATE TYPE mood AS ENUM ('ok'); -- schemagate:renamed-from feeling\n");
  REQUIRE(renames.size() == 6);
  CHECK((renames[0].kind == RenameKind::kTable && renames[0].schema == "public" &&
         renames[0].new_name == "books" && renames[0].old_name == "book"));
  CHECK((renames[1].kind == RenameKind::kColumn && renames[1].table == "books" &&
         renames[1].new_name == "isbn13" && renames[1].old_name == "isbn"));
  CHECK(renames[1].where == "schema.sql:3");
  CHECK((renames[2].new_name == "Title" && renames[2].old_name == "Name"));
  CHECK((renames[3].kind == RenameKind::kIndex && renames[3].new_name == "books_isbn13_key"));
  CHECK((renames[4].kind == RenameKind::kView && renames[4].schema == "app" &&
         renames[4].new_name == "titles"));
  CHECK((renames[5].kind == RenameKind::kType && renames[5].old_name == "feeling"));
}

TEST_CASE("rename: a comment that names nothing is refused with its line", "[schema][rename]") {
  auto stray = find_renames(SourceFile{"schema.sql", "SELECT 1; -- schemagate:renamed-from x\n"});
  REQUIRE_FALSE(stray.ok());
  CHECK_THAT(stray.error().message(), Catch::StartsWith("schema.sql:1: "));
  auto two = find_renames(
      SourceFile{"s.sql", "\nCREATE TABLE t ( -- schemagate:renamed-from a b\n"});
  REQUIRE_FALSE(two.ok());
  CHECK_THAT(two.error().message(), Catch::Contains("s.sql:2: "));
  std::string huge(1 << 20, 'x');
  CHECK(find_renames(SourceFile{"big.sql", huge + " -- schemagate:renamed-from y\n"}).ok() ==
        false);
}

TEST_CASE("rename: only renames whose old name is there and new name is not apply, in SQL",
          "[schema][rename]") {
  auto renames = parse("CREATE TABLE books ( -- schemagate:renamed-from book\n"
                       "    isbn13 text, -- schemagate:renamed-from isbn\n);\n");
  Catalog before = catalog({table("book", {"isbn"})});
  Catalog after = catalog({table("books", {"isbn13"})});
  auto applicable = applicable_renames(before, after, renames);
  REQUIRE(applicable.size() == 2);
  auto up = rename_statements(before, applicable);
  CHECK(up[0].sql == "ALTER TABLE public.book RENAME TO books;");
  CHECK(up[1].sql == "ALTER TABLE public.books RENAME COLUMN isbn TO isbn13;");
  auto down = reverse_rename_statements(before, applicable);
  CHECK(down[0].sql == "ALTER TABLE public.books RENAME COLUMN isbn13 TO isbn;");
  CHECK(down[1].sql == "ALTER TABLE public.books RENAME TO book;");

  CHECK(applicable_renames(after, after, renames).empty());  // already applied
}
