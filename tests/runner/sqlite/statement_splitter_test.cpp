#include <catch2/catch.hpp>

#include <chrono>

#include "sqlite/statement_splitter.h"

using schemagate::sql::Statement;
using schemagate::sqlite::split_statements;

namespace {

std::vector<std::string> texts(const std::string& body) {
  std::vector<std::string> result;
  for (const Statement& statement : split_statements(body, 1)) result.push_back(statement.sql);
  return result;
}

}  // namespace

TEST_CASE("SQLite statements split at top-level semicolons, without them", "[sqlite][splitter]") {
  CHECK(texts("CREATE TABLE a (id integer);\nINSERT INTO a VALUES (1);\n") ==
        std::vector<std::string>{"CREATE TABLE a (id integer)", "INSERT INTO a VALUES (1)"});
  CHECK(texts("").empty());
  CHECK(texts("  -- only a comment\n/* and another; */\n;;").empty());
}

TEST_CASE("a trigger's BEGIN ... END with semicolons inside is one statement",
          "[sqlite][splitter]") {
  std::string trigger =
      "CREATE TRIGGER books_touch AFTER UPDATE ON books\nBEGIN\n"
      "  UPDATE books SET updated = 1 WHERE id = new.id;\n"
      "  SELECT CASE WHEN new.title = '' THEN RAISE(ABORT, 'empty; title') END;\n"
      "END";
  std::string temp = "create temp trigger t after insert on a begin select 1; end";
  CHECK(texts(trigger + ";\nSELECT 1;\n" + temp + ";") ==
        std::vector<std::string>{trigger, "SELECT 1", temp});
}

TEST_CASE("semicolons in strings, quoted names and comments never split", "[sqlite][splitter]") {
  std::string quotes =
      "INSERT INTO \"a;b\" ([c;d], `e;f`) VALUES ('it''s; fine', x'3b')";
  std::string comments = "SELECT 1 /* ; */ -- ; \n + 2";
  CHECK(texts(quotes + ";\n" + comments + ";") == std::vector<std::string>{quotes, comments});
}

TEST_CASE("leading comments are left out and lines are the file's", "[sqlite][splitter]") {
  auto statements =
      split_statements("-- the books\nCREATE TABLE books (id integer);\n\n/* x */ DROP TABLE b;", 7);
  REQUIRE(statements.size() == 2);
  CHECK(statements[0].sql == "CREATE TABLE books (id integer)");
  CHECK(statements[0].line == 8);
  CHECK(statements[0].offset == 13);
  CHECK(statements[1].sql == "DROP TABLE b");
  CHECK(statements[1].line == 10);
}

TEST_CASE("text after the last semicolon, complete or not, is kept for SQLite to judge",
          "[sqlite][splitter]") {
  CHECK(texts("SELECT 1;\nSELECT 2") == std::vector<std::string>{"SELECT 1", "SELECT 2"});
  CHECK(texts("SELECT 1; SELECT 'unterminated; x") ==
        std::vector<std::string>{"SELECT 1", "SELECT 'unterminated; x"});
  CHECK(texts("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2;") ==
        std::vector<std::string>{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; SELECT 2;"});
}

TEST_CASE("an unclosed trigger before many semicolons splits in linear time",
          "[sqlite][splitter]") {
  std::string body = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n";
  for (int i = 0; i < 200000; ++i) body += "SELECT x END;";
  auto start = std::chrono::steady_clock::now();
  auto statements = split_statements(body, 1);
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(statements.size() == 1);
  CHECK(elapsed < std::chrono::seconds(5));
}
