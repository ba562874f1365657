#include <catch2/catch.hpp>

#include "sqlite/body_analysis.h"

using schemagate::ErrorCode;
using schemagate::sqlite::analyze_body;

namespace {

std::string refusal(const std::string& body, bool transactional = true) {
  auto analysis = analyze_body("v/r.sql", body, 10, transactional);
  REQUIRE_FALSE(analysis);
  CHECK(analysis.error().code() == ErrorCode::kInvalid);
  return analysis.error().message();
}

}  // namespace

TEST_CASE("a SQLite body splits by SQLite's rules, triggers whole", "[sqlite][body]") {
  auto analysis = analyze_body(
      "v/r.sql",
      "CREATE TABLE a (id integer PRIMARY KEY AUTOINCREMENT);\n"
      "CREATE TRIGGER a_t AFTER INSERT ON a BEGIN\n  SELECT 1;\nEND;\n",
      10, true);
  REQUIRE(analysis);
  REQUIRE(analysis->statements.size() == 2);
  CHECK(analysis->statements[1].statement.line == 11);
}

TEST_CASE("transaction control in a SQLite body is refused with file and line",
          "[sqlite][body]") {
  CHECK_THAT(refusal("SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;"),
             Catch::StartsWith("v/r.sql:11: BEGIN in a migration"));
  CHECK_THAT(refusal("SAVEPOINT s;"), Catch::StartsWith("v/r.sql:10: SAVEPOINT"));
  CHECK_THAT(refusal("SELECT 1;\nEND;", false), Catch::Contains("END in a migration"));
}

TEST_CASE("what a transaction ignores or refuses needs transactional false", "[sqlite][body]") {
  CHECK_THAT(refusal("VACUUM;"), Catch::Contains("VACUUM cannot run inside a transaction"));
  CHECK_THAT(refusal("PRAGMA foreign_keys = OFF;"),
             Catch::Contains("FOREIGN_KEYS does nothing inside a transaction"));
  CHECK_THAT(refusal("PRAGMA main.journal_mode = WAL;"), Catch::Contains("JOURNAL_MODE"));
  CHECK(analyze_body("v/r.sql", "VACUUM;\nPRAGMA foreign_keys = OFF;", 1, false));
  CHECK(analyze_body("v/r.sql", "PRAGMA user_version = 3;", 1, true));
}

TEST_CASE("a wrapped transaction's BEGIN and COMMIT are dropped", "[sqlite][body]") {
  auto analysis =
      analyze_body("v/r.sql", "BEGIN TRANSACTION;\nCREATE TABLE a (x);\nCOMMIT;\n", 1, true, true);
  REQUIRE(analysis);
  REQUIRE(analysis->statements.size() == 1);
  CHECK(analysis->statements[0].statement.sql == "CREATE TABLE a (x)");
  auto unclosed = analyze_body("v/r.sql", "BEGIN;\nCREATE TABLE a (x);\n", 1, true, true);
  REQUIRE_FALSE(unclosed);
  CHECK_THAT(unclosed.error().message(), Catch::Contains("does not COMMIT"));
}

TEST_CASE("a NUL byte in a SQLite body is refused where it stands", "[sqlite][body]") {
  CHECK_THAT(refusal(std::string("SELECT 1;\nSELECT '\0';", 21)),
             Catch::StartsWith("v/r.sql:11: a NUL byte"));
}
