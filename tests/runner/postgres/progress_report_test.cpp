#include <catch2/catch.hpp>

#include "postgres/progress_report.h"

using namespace schemagate::postgres;

TEST_CASE("an index build's percentage follows the counts of its phase", "[progress]") {
  IndexProgress scanning{"building index: scanning table", 200, 50, 0, 0, 0, 0, 0, 0};
  CHECK(percent_done(scanning) == Approx(25.0));
  IndexProgress loading{"building index: loading tuples in tree", 200, 200, 1000, 750, 0, 0, 0, 0};
  CHECK(percent_done(loading) == Approx(75.0));
  IndexProgress waiting{"waiting for writers before build", 0, 0, 0, 0, 4, 1, 0, 0};
  CHECK(percent_done(waiting) == Approx(25.0));
  IndexProgress nothing{"initializing", 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK_FALSE(percent_done(nothing));
  IndexProgress overshoot{"building index: scanning table", 10, 12, 0, 0, 0, 0, 0, 0};
  CHECK(percent_done(overshoot) == Approx(100.0));
}

TEST_CASE("a statement is named by its first non-empty line, shortened", "[progress]") {
  CHECK(statement_headline("\n  \n  CREATE INDEX i ON t (a)\n  WHERE a > 0") ==
        "CREATE INDEX i ON t (a)");
  CHECK(statement_headline("SELECT 1\r\n") == "SELECT 1");
  CHECK(statement_headline("") == "");
  std::string long_line = "SELECT '" + std::string(200, 'x') + "'";
  CHECK(statement_headline(long_line, 20) == "SELECT 'xxxxxxxxxxxx...");
  std::string accents = "SELECT '\xC3\xA9\xC3\xA9\xC3\xA9'";
  CHECK(statement_headline(accents, 10) == "SELECT '\xC3\xA9...");
}

TEST_CASE("the statement a session runs is found among a pipeline's by its text",
          "[progress]") {
  std::vector<RunningStatement> statements = {
      {"r", "f.sql:6", "SELECT 1"},
      {"r", "f.sql:7", "SELECT pg_sleep(3)"},
      {"r", "f.sql:8", "SELECT 10"},
      {"r", "f.sql:9", "SELECT pg_sleep(3)"},
  };
  CHECK(running_statement("SELECT pg_sleep(3)", statements, 0) == 1u);
  // A repeated statement: the first from the one named last.
  CHECK(running_statement("SELECT pg_sleep(3)", statements, 2) == 3u);
  CHECK(running_statement("SELECT pg_sleep(3)", statements, 3) == 3u);
  // The whole text wins over a statement it only starts like.
  CHECK(running_statement("SELECT 10", statements, 0) == 2u);
  CHECK(running_statement("SELECT 1", statements, 2) == 0u);
  // pg_stat_activity keeps the start of a long statement only.
  std::string long_sql = "INSERT INTO t VALUES " + std::string(5000, '1');
  statements.push_back({"r", "f.sql:10", long_sql});
  CHECK(running_statement(long_sql.substr(0, 1023), statements, 0) == 4u);
  CHECK_FALSE(running_statement("COMMIT", statements, 0));
  CHECK_FALSE(running_statement("", statements, 0));
}
