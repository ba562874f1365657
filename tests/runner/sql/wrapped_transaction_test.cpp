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

TEST_CASE("pairs in the middle of a body (golang-migrate's) run in the one transaction",
          "[sql][analyzer][wrapped]") {
  std::string body = "CREATE TABLE a (id int);\nBEGIN;\nINSERT INTO a VALUES (1);\nCOMMIT;\n"
                     "START TRANSACTION;\nINSERT INTO a VALUES (2);\nEND;\nCREATE INDEX ON a (id);\n";
  auto analysis = analyze_body("v.sql", body, 1, kTransactional, kWrapped);
  REQUIRE(analysis.ok());
  CHECK(analysis->statements.size() == 4);
  CHECK(analysis->statements[1].statement.line == 3);
  CHECK(analysis->runnable_sql.size() == body.size());
  CHECK(analysis->runnable_sql.find("BEGIN") == std::string::npos);
  CHECK(analysis->runnable_sql.find("COMMIT") == std::string::npos);
  CHECK(analysis->runnable_sql.find("END;") == std::string::npos);
}

TEST_CASE("a half wrapper, nesting or other transaction control is still refused",
          "[sql][analyzer][wrapped]") {
  auto open_only = analyze_body("v.sql", "BEGIN;\nSELECT 1;\n", 3, kTransactional, kWrapped);
  REQUIRE_FALSE(open_only.ok());
  CHECK_THAT(open_only.error().message(),
             Catch::StartsWith("v.sql:3: BEGIN opens the body's transaction but the body does "
                               "not end with COMMIT"));
  auto nested = analyze_body("v.sql", "BEGIN;\nSELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;\n", 1,
                             kTransactional, kWrapped);
  REQUIRE_FALSE(nested.ok());
  CHECK_THAT(nested.error().message(),
             Catch::StartsWith("v.sql:3: BEGIN inside the transaction that line 1 opened"));
  auto stray = analyze_body("v.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\nSELECT 2;\nCOMMIT;\n", 1,
                            kTransactional, kWrapped);
  REQUIRE_FALSE(stray.ok());
  CHECK_THAT(stray.error().message(),
             Catch::StartsWith("v.sql:5: COMMIT closes no transaction: BEGIN is missing"));
  auto rollback = analyze_body("v.sql", "BEGIN;\nSELECT 1;\nROLLBACK;\n", 1, kTransactional,
                               kWrapped);
  REQUIRE_FALSE(rollback.ok());
  CHECK_THAT(rollback.error().message(), Catch::StartsWith("v.sql:1: BEGIN opens the body's"));
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
