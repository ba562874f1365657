#include <catch2/catch.hpp>

#include "sql/statement_splitter.h"

using schemagate::sql::split_statements;
using schemagate::sql::Statement;

namespace {

std::vector<std::string> texts(const std::string& body) {
  std::vector<std::string> result;
  for (const Statement& statement : split_statements(body, 1)) result.push_back(statement.sql);
  return result;
}

}  // namespace

TEST_CASE("statements split at top-level semicolons, without them", "[sql][splitter]") {
  CHECK(texts("CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n") ==
        std::vector<std::string>{"CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)"});
}

TEST_CASE("dollar quotes, tagged or not, hold semicolons", "[sql][splitter]") {
  std::string function =
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\n"
      "BEGIN\n  PERFORM 1; RETURN 2;\nEND\n$body$";
  std::string plain = "SELECT $$a; b$$";
  CHECK(texts(function + ";\n" + plain + ";") == std::vector<std::string>{function, plain});
}

TEST_CASE("a DO block with BEGIN, END and semicolons is one statement", "[sql][splitter]") {
  std::string block = "DO $$\nBEGIN\n  RAISE NOTICE 'x;';\n  PERFORM 1;\nEND;\n$$";
  CHECK(texts(block + ";\nSELECT 1;") == std::vector<std::string>{block, "SELECT 1"});
}

TEST_CASE("a SQL-standard function body (BEGIN ATOMIC ... END) is one statement",
          "[sql][splitter]") {
  // PostgreSQL's scanner alone would cut it at every `;`: the parser does not.
  std::string function =
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND";
  CHECK(texts(function + ";\nSELECT 3;") == std::vector<std::string>{function, "SELECT 3"});
}

TEST_CASE("strings hold semicolons and quotes", "[sql][splitter]") {
  CHECK(texts("SELECT E'it\\'s; here'; SELECT 'a;''b'; SELECT U&'x;'") ==
        std::vector<std::string>{"SELECT E'it\\'s; here'", "SELECT 'a;''b'", "SELECT U&'x;'"});
}

TEST_CASE("comments hold semicolons, nested block comments included", "[sql][splitter]") {
  auto statements = split_statements("/* a /* b; */ c; */ SELECT 1;\n"
                                     "-- SELECT 2; not a statement\n"
                                     "SELECT 3 /* ; */ + 4;\n",
                                     1);
  REQUIRE(statements.size() == 2);
  CHECK(statements[0].sql == "SELECT 1");
  CHECK(statements[1].sql == "SELECT 3 /* ; */ + 4");
  CHECK(statements[1].line == 3);
}

TEST_CASE("quoted identifiers hold semicolons", "[sql][splitter]") {
  CHECK(texts("CREATE TABLE \"a;b\" (\"c;\" int); DROP TABLE \"a;b\";") ==
        std::vector<std::string>{"CREATE TABLE \"a;b\" (\"c;\" int)", "DROP TABLE \"a;b\""});
}

TEST_CASE("the last statement needs no semicolon", "[sql][splitter]") {
  CHECK(texts("SELECT 1;\nSELECT 2\n") == std::vector<std::string>{"SELECT 1", "SELECT 2"});
  CHECK(texts("SELECT 1;\nSELECT 2 -- the end") ==
        std::vector<std::string>{"SELECT 1", "SELECT 2 -- the end"});
}

TEST_CASE("an empty or comment-only body has no statements", "[sql][splitter]") {
  CHECK(split_statements("", 5).empty());
  CHECK(split_statements("\n  \n", 5).empty());
  CHECK(split_statements("-- nothing yet;\n/* still; nothing */\n;;\n", 5).empty());
}

TEST_CASE("each statement knows its file line and body offset", "[sql][splitter]") {
  std::string body =
      "-- leading comment;\n"
      "CREATE TABLE a (id int);\n"
      "\n"
      "/* block\n"
      "   comment */ CREATE TABLE b (\n"
      "  id int\n"
      ");   SELECT 1;\n";
  auto statements = split_statements(body, 10);
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].line == 11);
  CHECK(statements[1].line == 14);
  CHECK(statements[1].sql == "CREATE TABLE b (\n  id int\n)");
  CHECK(statements[2].line == 16);
  for (const Statement& statement : statements) {
    CHECK(body.compare(statement.offset, statement.sql.size(), statement.sql) == 0);
  }
}

TEST_CASE("a seed body of many statements keeps every line, a syntax error's split too",
          "[sql][splitter]") {
  // Lines are counted on from statement to statement, not from the start.
  for (const char* broken : {"", "INSERT INTO seed VALUE (0);\n"}) {
    std::string body = broken;
    for (int i = 0; i < 5000; ++i) {
      body += "INSERT INTO seed VALUES (" + std::to_string(i) + ");\n" + (i % 3 ? "" : "\n");
    }
    auto statements = split_statements(body, 5);
    INFO(broken);
    REQUIRE(statements.size() == 5000 + (*broken ? 1u : 0u));
    std::vector<int> line_at = {5};  // the file line of each byte offset
    for (char c : body) line_at.push_back(line_at.back() + (c == '\n' ? 1 : 0));
    for (const Statement& statement : statements) {
      REQUIRE(statement.line == line_at[statement.offset]);
    }
  }
}

TEST_CASE("a body with a syntax error is still split, and nothing is dropped",
          "[sql][splitter]") {
  // libpg_query's scanner split alone would drop `selec 1`, which holds no keyword.
  CHECK(texts("SELECT 1;\nselec 1;\nSELECT 'a;b';\n") ==
        std::vector<std::string>{"SELECT 1", "selec 1;\nSELECT 'a;b'"});
  CHECK(texts("SELECT 1;\nCREATE TABLE;\nSELECT 2;") ==
        std::vector<std::string>{"SELECT 1", "CREATE TABLE", "SELECT 2"});
  // The scanner does not cut inside parentheses (CREATE RULE ... (a; b)), so
  // an unclosed one keeps the rest together.
  CHECK(texts("SELECT 1;\nCREATE TABLE t (;\nSELECT 2;") ==
        std::vector<std::string>{"SELECT 1", "CREATE TABLE t (;\nSELECT 2"});
}

TEST_CASE("a body the scanner rejects is one statement for the server", "[sql][splitter]") {
  auto statements = split_statements("\nSELECT 1; SELECT 'unterminated;\n", 3);
  REQUIRE(statements.size() == 1);
  CHECK(statements[0].sql == "SELECT 1; SELECT 'unterminated");
  CHECK(statements[0].line == 4);
}
