#include <catch2/catch.hpp>

#include "engine/bookkeeping_check.h"

using namespace schemagate;
using engine::BookkeepingFacts;
using engine::judge_bookkeeping;

namespace {

BookkeepingFacts both_tables() {
  BookkeepingFacts facts;
  facts.version_table_exists = true;
  facts.history_table_exists = true;
  return facts;
}

std::string refusal(const BookkeepingFacts& facts) {
  Status status = judge_bookkeeping(facts);
  REQUIRE_FALSE(status);
  CHECK(status.error().code() == ErrorCode::kStateRefused);
  return status.error().message();
}

}  // namespace

TEST_CASE("bookkeeping: the usual states pass", "[engine]") {
  BookkeepingFacts fresh;
  CHECK(judge_bookkeeping(fresh));
  BookkeepingFacts migrated = both_tables();
  migrated.version_rows = {"aaaaaaaaaaa1"};
  migrated.history_rows = 1;
  CHECK(judge_bookkeeping(migrated));
  BookkeepingFacts at_base = both_tables();  // downgraded to base: history only
  at_base.history_rows = 4;
  CHECK(judge_bookkeeping(at_base));
  // Adopted: the other tool's table stays, schemagate's rows now count.
  BookkeepingFacts adopted = migrated;
  adopted.foreign.push_back({"Flyway", "flyway_schema_history", "flyway", "3 rows"});
  CHECK(judge_bookkeeping(adopted));
}

TEST_CASE("bookkeeping: version rows without the history table", "[engine]") {
  BookkeepingFacts facts;
  facts.version_table_exists = true;
  facts.version_rows = {"aaaaaaaaaaa1", "bbbbbbbbbbb2"};
  std::string message = refusal(facts);
  CHECK_THAT(message, Catch::Contains("holds revision(s) aaaaaaaaaaa1, bbbbbbbbbbb2"));
  CHECK_THAT(message, Catch::Contains("`schemagate stamp aaaaaaaaaaa1` and `schemagate stamp "
                                      "bbbbbbbbbbb2`"));
  // Alembic's own table, shared on purpose, has no history of ours.
  facts.tables.version_table = "alembic_version";
  CHECK(judge_bookkeeping(facts));
}

TEST_CASE("bookkeeping: history without the version table", "[engine]") {
  BookkeepingFacts facts;
  facts.history_table_exists = true;
  facts.history_rows = 7;
  CHECK_THAT(refusal(facts), Catch::Contains("records 7 migration run(s) but the version table"));
}

TEST_CASE("bookkeeping: another tool's table or existing objects with no record", "[engine]") {
  BookkeepingFacts facts = both_tables();
  facts.foreign.push_back({"Alembic", "alembic_version", "alembic", "revision(s) 0001_initial"});
  std::string message = refusal(facts);
  CHECK_THAT(message, Catch::Contains("migrated by Alembic"));
  CHECK_THAT(message, Catch::Contains("schemagate import --from alembic DIR --adopt-database"));
  CHECK_THAT(message, Catch::Contains("version_table: alembic_version in schemagate.yaml"));

  BookkeepingFacts objects;
  objects.existing.push_back({"table", "users", "aaaaaaaaaaa1", "versions/a.sql:3"});
  message = refusal(objects);
  CHECK_THAT(message, Catch::Contains("table users (created by revision aaaaaaaaaaa1 at "
                                      "versions/a.sql:3)"));
  CHECK_THAT(message, Catch::Contains("`schemagate stamp REV`"));
}
