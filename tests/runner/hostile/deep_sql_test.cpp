// Migrations holding one enormous expression or statement: PostgreSQL itself
// may refuse them ("stack depth limit exceeded"), but analyzing them must
// never crash the runner.
#include <catch2/catch.hpp>

#include "sql/body_analyzer.h"

using namespace schemagate;

namespace {

std::string repeated(const std::string& head, const std::string& part, int count,
                     const std::string& tail) {
  std::string text = head;
  text.reserve(head.size() + part.size() * count + tail.size());
  for (int i = 0; i < count; ++i) text += part;
  return text + tail;
}

}  // namespace

TEST_CASE("a 100,000-term expression is analyzed, not a crash", "[sql][hostile]") {
  std::string body = "SELECT 1;\n" + repeated("SELECT 1", "+1", 100000, ";\n");
  auto analysis = sql::analyze_body("versions/x.sql", body, 3, true);
  REQUIRE(analysis.ok());
  REQUIRE(analysis->statements.size() == 2);
  CHECK(analysis->statements[1].statement.line == 4);
}

TEST_CASE("a 200,000-row UNION ALL seed insert is analyzed, not a crash", "[sql][hostile]") {
  std::string body = repeated("INSERT INTO t SELECT 1", " UNION ALL SELECT 1", 200000, ";\n");
  auto analysis = sql::analyze_body("versions/x.sql", body, 1, true);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements.size() == 1);
}

TEST_CASE("a deep statement that must be parsed to be classified does not crash",
          "[sql][hostile]") {
  std::string body = repeated("CREATE TABLE t AS SELECT 1", "+1", 100000, ";\n") +
                     repeated("CREATE VIEW v AS SELECT 1", " UNION ALL SELECT 1", 200000, ";\n") +
                     "CREATE INDEX CONCURRENTLY i ON t (x);\n";
  auto analysis = sql::analyze_body("versions/x.sql", body, 1, true);
  REQUIRE_FALSE(analysis.ok());
  CHECK_THAT(analysis.error().message(), Catch::StartsWith("versions/x.sql:3: CREATE INDEX"));
}

TEST_CASE("nesting beyond the parser's own limit is left to the server", "[sql][hostile]") {
  std::string body = "SELECT " + std::string(100000, '(') + "1" + std::string(100000, ')') + ";";
  auto analysis = sql::analyze_body("versions/x.sql", body, 1, true);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements.size() == 1);
}
