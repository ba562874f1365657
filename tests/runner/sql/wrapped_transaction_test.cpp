#include <catch2/catch.hpp>

#include "script/migration_parser.h"
#include "script/revision_writer.h"
#include "sql/body_analyzer.h"

using namespace schemagate;
using sql::analyze_body;

namespace {

constexpr bool kTransactional = true;
constexpr bool kWrapped = true;

}  // namespace

TEST_CASE("a wrapped body loses its own BEGIN and COMMIT, keeping lines and positions",
          "[sql][analyzer][wrapped]") {
  const std::string body = "BEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCOMMIT;\n";
  auto analysis = analyze_body("v.sql", body, 5, kTransactional, kWrapped);
  REQUIRE(analysis.ok());
  REQUIRE(analysis->statements.size() == 2);
  CHECK(analysis->statements[0].statement.line == 6);
  CHECK(analysis->runnable_sql ==
        "     ;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n      ;\n");
  CHECK(analysis->runnable_sql.size() == body.size());
}

TEST_CASE("START TRANSACTION ... END and PL/pgSQL blocks inside are accepted when wrapped",
          "[sql][analyzer][wrapped]") {
  auto analysis = analyze_body("v.sql",
                               "START TRANSACTION;\n"
                               "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$\n"
                               "BEGIN\n  NULL;\nEND;\n$$;\nEND;\n",
                               1, kTransactional, kWrapped);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements.size() == 1);
  CHECK(analysis->runnable_sql.rfind("                 ;\nCREATE FUNCTION", 0) == 0);
}

TEST_CASE("a wrapped migration may also have bodies without a wrapper", "[sql][analyzer][wrapped]") {
  auto analysis = analyze_body("v.sql", "DROP TABLE a;\n", 1, kTransactional, kWrapped);
  REQUIRE(analysis.ok());
  CHECK(analysis->runnable_sql == "DROP TABLE a;\n");
}

TEST_CASE("a half wrapper or transaction control in the middle is still refused",
          "[sql][analyzer][wrapped]") {
  auto open_only = analyze_body("v.sql", "BEGIN;\nSELECT 1;\n", 3, kTransactional, kWrapped);
  REQUIRE_FALSE(open_only.ok());
  CHECK_THAT(open_only.error().message(),
             Catch::StartsWith("v.sql:3: BEGIN opens the body's transaction but the body does "
                               "not end with COMMIT"));
  auto middle = analyze_body("v.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;\n",
                             1, kTransactional, kWrapped);
  REQUIRE_FALSE(middle.ok());
  CHECK_THAT(middle.error().message(), Catch::StartsWith("v.sql:3: COMMIT inside a migration"));
  auto unwrapped = analyze_body("v.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\n", 1, kTransactional);
  REQUIRE_FALSE(unwrapped.ok());
  CHECK_THAT(unwrapped.error().message(), Catch::StartsWith("v.sql:1: BEGIN inside a migration"));
}

TEST_CASE("the wrapped-transaction directive is parsed, rendered and checked",
          "[script][parser][wrapped]") {
  auto parsed = script::parse_migration(
      "v/aaaaaaaaaaaa_x.sql",
      "-- schemagate:revision aaaaaaaaaaaa\n-- schemagate:wrapped-transaction true\n"
      "-- schemagate:up\nBEGIN;\nSELECT 1;\nCOMMIT;\n");
  REQUIRE(parsed.ok());
  CHECK(parsed->wrapped_transaction);
  CHECK(script::render_migration(*parsed).find("-- schemagate:wrapped-transaction true\n") !=
        std::string::npos);

  auto outside = script::parse_migration(
      "v/aaaaaaaaaaaa_x.sql",
      "-- schemagate:revision aaaaaaaaaaaa\n-- schemagate:transactional false\n"
      "-- schemagate:wrapped-transaction true\n-- schemagate:up\n");
  REQUIRE_FALSE(outside.ok());
  CHECK_THAT(outside.error().message(),
             Catch::StartsWith("v/aaaaaaaaaaaa_x.sql:3: '-- schemagate:wrapped-transaction true' "
                               "needs a transactional migration"));
}
