#include <catch2/catch.hpp>

#include "schema/diff.h"
#include "schema/fingerprint.h"

using namespace schemagate::schema;

namespace {

Column column(const std::string& name, const std::string& type, bool not_null = false) {
  Column column;
  column.name = name;
  column.type = type;
  column.not_null = not_null;
  return column;
}

Table books() {
  Table table;
  table.schema = "public";
  table.name = "books";
  table.columns = {column("id", "integer", true), column("title", "character varying(100)", true)};
  table.constraints = {{"books_pkey", 'p', "PRIMARY KEY (id)"}};
  return table;
}

Catalog with(std::vector<Table> tables) {
  Catalog catalog;
  catalog.schemas["public"] = Schema{"public", std::nullopt};
  for (Table& table : tables) catalog.tables[key(table.schema, table.name)] = table;
  return catalog;
}

std::vector<std::string> sql(const std::vector<Statement>& statements) {
  std::vector<std::string> out;
  for (const Statement& statement : statements) out.push_back(statement.sql);
  return out;
}

}  // namespace

TEST_CASE("diff: equal catalogs need nothing", "[schema][diff]") {
  CHECK(diff(with({books()}), with({books()})).empty());
}

TEST_CASE("diff: a new table is created with its constraints, dropping it is destructive",
          "[schema][diff]") {
  Changes up = diff(with({}), with({books()}));
  REQUIRE(up.statements.size() == 1);
  CHECK(up.statements[0].sql ==
        "CREATE TABLE public.books (\n    id integer NOT NULL,\n"
        "    title character varying(100) NOT NULL,\n    CONSTRAINT books_pkey PRIMARY KEY (id)\n);");
  CHECK(up.statements[0].warning.empty());

  Changes down = diff(with({books()}), with({}));
  REQUIRE(down.statements.size() == 1);
  CHECK(down.statements[0].sql == "DROP TABLE public.books;");
  CHECK(down.statements[0].warning == "drops table public.books and its data");
}

TEST_CASE("diff: columns are added, dropped (with a warning), retyped and re-defaulted",
          "[schema][diff]") {
  Table before = books();
  before.columns.push_back(column("isbn", "text"));
  Table after = books();
  after.columns[1].type = "character varying(50)";
  Column price = column("price", "numeric(10,2)");
  price.default_value = "0";
  after.columns.push_back(price);

  Changes up = diff(with({before}), with({after}));
  CHECK(sql(up.statements) ==
        std::vector<std::string>{
            "ALTER TABLE public.books ALTER COLUMN title TYPE character varying(50) USING "
            "title::character varying(50);",
            "ALTER TABLE public.books ADD COLUMN price numeric(10,2) DEFAULT 0;",
            "ALTER TABLE public.books DROP COLUMN isbn;"});
  CHECK_THAT(up.statements[0].warning, Catch::Contains("from character varying(100) to "
                                                       "character varying(50)"));
  CHECK(up.statements[1].warning.empty());
  CHECK(up.statements[2].warning == "drops column public.books.isbn and its data");

  Changes down = diff(with({after}), with({before}));
  CHECK(down.statements[0].warning.empty());  // varchar(50) -> varchar(100) widens
}

TEST_CASE("diff: a new index on an existing table is created concurrently, apart",
          "[schema][diff]") {
  Catalog before = with({books()});
  Catalog after = before;
  after.indexes["public.books_title_idx"] =
      Index{"public", "books_title_idx", "books",
            "CREATE INDEX books_title_idx ON public.books USING btree (title)", std::nullopt};
  Changes up = diff(before, after);
  CHECK(up.statements.empty());
  REQUIRE(up.concurrent_indexes.size() == 1);
  CHECK(up.concurrent_indexes[0].sql ==
        "CREATE INDEX CONCURRENTLY books_title_idx ON public.books USING btree (title);");
  CHECK(without_concurrent_indexes(before, after).indexes.empty());

  Changes plain = diff(before, after, DiffOptions{false});
  CHECK(sql(plain.statements) ==
        std::vector<std::string>{"CREATE INDEX books_title_idx ON public.books USING btree (title);"});

  Catalog fresh = with({});
  Changes with_table = diff(fresh, after);
  CHECK(with_table.concurrent_indexes.empty());
  CHECK(with_table.statements.back().sql ==
        "CREATE INDEX books_title_idx ON public.books USING btree (title);");
}

TEST_CASE("diff: dependency order: types and sequences before tables, foreign keys last, drops "
          "after", "[schema][diff]") {
  Catalog after = with({books()});
  after.enums["public.mood"] = EnumType{"public", "mood", {"sad", "ok"}, std::nullopt};
  Table loans;
  loans.schema = "public";
  loans.name = "loans";
  Column id = column("id", "integer", true);
  id.default_value = "nextval('loans_id_seq'::regclass)";
  loans.columns = {id, column("book_id", "integer"), column("m", "mood")};
  loans.constraints = {{"loans_book_id_fkey", 'f', "FOREIGN KEY (book_id) REFERENCES books(id)"}};
  after.tables["public.loans"] = loans;
  Sequence sequence;
  sequence.schema = "public";
  sequence.name = "loans_id_seq";
  sequence.type = "integer";
  sequence.max = 2147483647;
  sequence.owned_by = "loans.id";
  after.sequences["public.loans_id_seq"] = sequence;

  std::vector<std::string> up = sql(diff(with({}), after).statements);
  REQUIRE(up.size() == 6);
  CHECK(up[0] == "CREATE TYPE public.mood AS ENUM ('sad', 'ok');");
  CHECK_THAT(up[1], Catch::StartsWith("CREATE SEQUENCE public.loans_id_seq AS integer"));
  CHECK_THAT(up[2], Catch::StartsWith("CREATE TABLE public.books"));
  CHECK_THAT(up[3], Catch::StartsWith("CREATE TABLE public.loans"));
  CHECK(up[4] == "ALTER TABLE public.loans ADD CONSTRAINT loans_book_id_fkey FOREIGN KEY "
                 "(book_id) REFERENCES books(id);");
  CHECK(up[5] == "ALTER SEQUENCE public.loans_id_seq OWNED BY public.loans.id;");

  std::vector<std::string> down = sql(diff(after, with({})).statements);
  CHECK(down == std::vector<std::string>{
                    "ALTER TABLE public.loans DROP CONSTRAINT loans_book_id_fkey;",
                    "DROP TABLE public.books;", "DROP TABLE public.loans;",
                    "DROP SEQUENCE IF EXISTS public.loans_id_seq;", "DROP TYPE public.mood;"});
}

TEST_CASE("diff: enum values are added in place, a lost value is a warning", "[schema][diff]") {
  Catalog before = with({});
  before.enums["public.mood"] = EnumType{"public", "mood", {"sad", "ok"}, std::nullopt};
  Catalog after = before;
  after.enums["public.mood"].values = {"sad", "meh", "ok", "happy"};
  CHECK(sql(diff(before, after).statements) ==
        std::vector<std::string>{"ALTER TYPE public.mood ADD VALUE 'meh' AFTER 'sad';",
                                 "ALTER TYPE public.mood ADD VALUE 'happy' AFTER 'ok';"});
  Changes back = diff(after, before);
  REQUIRE(back.statements.size() == 1);
  CHECK(back.statements[0].warning == "enum public.mood loses values");
}

TEST_CASE("diff: names that are not plain words are quoted", "[schema][diff]") {
  CHECK(identifier("books") == "books");
  CHECK(identifier("user") == "\"user\"");
  CHECK(identifier("Books") == "\"Books\"");
  CHECK(identifier("my-app") == "\"my-app\"");
  CHECK(identifier("say\"hi") == "\"say\"\"hi\"");
}

TEST_CASE("diff: which type changes keep every value", "[schema][diff]") {
  CHECK(widens("integer", "bigint"));
  CHECK_FALSE(widens("bigint", "integer"));
  CHECK(widens("character varying(50)", "character varying(100)"));
  CHECK(widens("character varying(50)", "text"));
  CHECK_FALSE(widens("text", "character varying(50)"));
  CHECK(widens("numeric(10,2)", "numeric(12,2)"));
  CHECK_FALSE(widens("numeric(10,2)", "numeric(10,1)"));
  CHECK_FALSE(widens("text", "integer"));
}

TEST_CASE("fingerprint: equal catalogs agree, a difference names the object", "[schema]") {
  Catalog a = with({books()});
  Catalog b = a;
  CHECK(fingerprint(a) == fingerprint(b));
  b.tables["public.books"].columns.push_back(column("isbn", "text"));
  CHECK(fingerprint(a) != fingerprint(b));
  std::vector<Difference> differences = compare(a, b);
  REQUIRE(differences.size() == 1);
  CHECK(describe(differences[0]) == "column public.books.isbn is left over (text)");
}

TEST_CASE("diff: the first value of an enum that had none is added without a neighbour",
          "[schema][diff]") {
  Catalog before = with({});
  before.enums["public.empty"] = EnumType{"public", "empty", {}, std::nullopt};
  Catalog after = before;
  after.enums["public.empty"].values = {"first"};
  CHECK(sql(diff(before, after).statements) ==
        std::vector<std::string>{"ALTER TYPE public.empty ADD VALUE 'first';"});
}
