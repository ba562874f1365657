#include <catch2/catch.hpp>

#include "sql/body_analyzer.h"

using namespace schemagate;
using sql::analyze_body;
using sql::StatementKind;

namespace {

constexpr bool kTransactional = true;
constexpr bool kNonTransactional = false;

std::string refusal(const std::string& body, int first_line, bool transactional) {
  auto analysis = analyze_body("versions/3f2a_x.sql", body, first_line, transactional);
  REQUIRE_FALSE(analysis.ok());
  CHECK(analysis.error().code() == ErrorCode::kInvalid);
  CHECK(analysis.error().exit_code() == 2);
  return analysis.error().message();
}

}  // namespace

TEST_CASE("a plain body yields its statements with their lines", "[sql][analyzer]") {
  auto analysis = analyze_body("v.sql", "CREATE TABLE a (id int);\n\nINSERT INTO a VALUES (1);\n",
                               8, kTransactional);
  REQUIRE(analysis.ok());
  REQUIRE(analysis->statements.size() == 2);
  CHECK(analysis->statements[0].statement.sql == "CREATE TABLE a (id int)");
  CHECK(analysis->statements[0].statement.line == 8);
  CHECK(analysis->statements[0].kind == StatementKind::kOrdinary);
  CHECK(analysis->statements[1].statement.line == 10);
}

TEST_CASE("an empty body is a no-op", "[sql][analyzer]") {
  auto analysis = analyze_body("v.sql", "-- nothing\n", 3, kTransactional);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements.empty());
}

TEST_CASE("transaction control is refused with file and line", "[sql][analyzer]") {
  CHECK(refusal("CREATE TABLE a (id int);\nBEGIN;\nSELECT 1;\nCOMMIT;\n", 10, kTransactional) ==
        "versions/3f2a_x.sql:11: BEGIN inside a migration body would break its atomicity; "
        "remove it (each transactional migration already runs in one transaction)");
  CHECK_THAT(refusal("SELECT 1;\n  END;\n", 4, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:5: COMMIT inside a migration body"));
  CHECK_THAT(refusal("SELECT 1; ROLLBACK;", 4, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:4: ROLLBACK inside"));
  CHECK_THAT(refusal("\n\nSAVEPOINT s;", 1, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:3: SAVEPOINT inside"));
  CHECK(refusal("COMMIT;\nCREATE INDEX CONCURRENTLY i ON t (a);\n", 2, kNonTransactional) ==
        "versions/3f2a_x.sql:2: COMMIT inside a migration body would break its atomicity; "
        "remove it (a non-transactional migration runs each statement on its own)");
}

TEST_CASE("PL/pgSQL and SQL-standard BEGIN ... END are accepted", "[sql][analyzer]") {
  auto analysis = analyze_body("v.sql",
                               "DO $body$\nBEGIN\n  PERFORM 1;\nEND;\n$body$;\n"
                               "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
                               "BEGIN\n  NULL;\nEND\n$$;\n"
                               "CREATE FUNCTION g() RETURNS int LANGUAGE sql\n"
                               "BEGIN ATOMIC\n  SELECT 1;\nEND;\n",
                               1, kTransactional);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements.size() == 3);
}

TEST_CASE("a transactional migration refuses what cannot run in a transaction",
          "[sql][analyzer]") {
  CHECK(refusal("CREATE TABLE t (a int);\n\nCREATE INDEX CONCURRENTLY i ON t (a);\n", 7,
                kTransactional) ==
        "versions/3f2a_x.sql:9: CREATE INDEX CONCURRENTLY cannot run inside a transaction; "
        "mark the migration '-- schemagate:transactional false'");
  CHECK_THAT(refusal("DROP INDEX CONCURRENTLY i;", 1, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:1: DROP INDEX CONCURRENTLY cannot run"));
  CHECK_THAT(refusal("SELECT 1;\nVACUUM t;", 1, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:2: VACUUM cannot run"));
}

TEST_CASE("a non-transactional migration flags those statements and runs them",
          "[sql][analyzer]") {
  auto analysis = analyze_body("v.sql",
                               "CREATE INDEX CONCURRENTLY i ON t (a);\n"
                               "DROP INDEX CONCURRENTLY j;\nVACUUM;\nANALYZE t;\n",
                               1, kNonTransactional);
  REQUIRE(analysis.ok());
  REQUIRE(analysis->statements.size() == 4);
  CHECK(analysis->statements[0].kind == StatementKind::kNoTransactionBlock);
  CHECK(analysis->statements[1].kind == StatementKind::kNoTransactionBlock);
  CHECK(analysis->statements[2].kind == StatementKind::kNoTransactionBlock);
  CHECK(analysis->statements[3].kind == StatementKind::kOrdinary);
}

TEST_CASE("ALTER TYPE ... ADD VALUE runs in a transaction", "[sql][analyzer]") {
  auto analysis = analyze_body("v.sql", "ALTER TYPE mood ADD VALUE 'meh';", 1, kTransactional);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements[0].kind == StatementKind::kOrdinary);
}

TEST_CASE("psql meta-commands are refused with file and line", "[sql][analyzer]") {
  CHECK(refusal("SELECT 1;\n\\set x 1\nSELECT :x;\n", 6, kTransactional) ==
        "versions/3f2a_x.sql:7: psql meta-command '\\set' is not SQL; schemagate runs plain SQL");
  CHECK_THAT(refusal("  \\i other.sql\n", 3, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:3: psql meta-command '\\i'"));
  CHECK_THAT(refusal("SELECT 1\n\\\\\nSELECT 2;", 1, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:2: psql meta-command '\\\\'"));
  CHECK_THAT(refusal("-- \\ in a comment is fine\n\\connect other", 1, kNonTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:2: psql meta-command '\\connect'"));
}

TEST_CASE("a backslash inside a string, quote or comment is SQL", "[sql][analyzer]") {
  auto analysis = analyze_body("v.sql",
                               "SELECT '\n\\set not a command';\n"
                               "SELECT E'\\\\n', 'a\\';\n"
                               "DO $$\nBEGIN\n\\if true\nEND $$;\n"
                               "SELECT 1 AS \"\n\\x\";\n"
                               "/*\n\\i file */ SELECT 2;\n"
                               "-- \\set x\n",
                               1, kTransactional);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements.size() == 5);
}

TEST_CASE("a syntax error is left to the server", "[sql][analyzer]") {
  auto analysis = analyze_body("v.sql", "SELECT 1;\nSELEC 2;\n", 1, kTransactional);
  REQUIRE(analysis.ok());
  REQUIRE(analysis->statements.size() == 2);
  CHECK(analysis->statements[1].statement.sql == "SELEC 2");
  CHECK(analysis->statements[1].statement.line == 2);
}

TEST_CASE("a syntax error elsewhere does not hide a COMMIT", "[sql][analyzer]") {
  CHECK_THAT(refusal("SELECT 1;\nCOMMIT;\nCREATE TABLE (;\n", 1, kTransactional),
             Catch::StartsWith("versions/3f2a_x.sql:2: COMMIT inside"));
}
