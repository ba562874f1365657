#include <catch2/catch.hpp>

#include "engine/sql_text.h"
#include "engine/version_records.h"
#include "postgres/version_sql.h"

using namespace schemagate::engine;
using namespace schemagate::postgres;

TEST_CASE("identifiers and literals are always quoted", "[sql_text]") {
  CHECK(quote_identifier("Order") == "\"Order\"");
  CHECK(quote_identifier("a\"b") == "\"a\"\"b\"");
  CHECK(qualified_name("my-app", "versions") == "\"my-app\".\"versions\"");
  CHECK(quote_literal("it's") == "'it''s'");
}

TEST_CASE("version statements name the configured tables", "[version_sql]") {
  VersionTables tables{"app", "versions", "history"};
  CHECK(delete_versions_sql(tables, {"aaaaaaaaaaaa", "bbbbbbbbbbbb"}) ==
        "DELETE FROM \"app\".\"versions\" WHERE version_num IN ('aaaaaaaaaaaa', 'bbbbbbbbbbbb')");
  CHECK(insert_versions_sql(tables, {"cccccccccccc"}) ==
        "INSERT INTO \"app\".\"versions\" (version_num) VALUES ('cccccccccccc')");
  CHECK(move_version_sql(tables, "aaaaaaaaaaaa", "it's") ==
        "UPDATE \"app\".\"versions\" SET version_num = 'it''s' WHERE version_num = "
        "'aaaaaaaaaaaa'");
  CHECK_THAT(create_tables_sql(tables), Catch::Contains("CREATE SCHEMA IF NOT EXISTS \"app\""));
  HistoryRecord record;
  record.revision = "cccccccccccc";
  record.direction = "up";
  record.started_at = "2026-01-01T00:00:00.000Z";
  record.applied_by = "pod-1";
  record.outcome = "failed";
  record.error = "boom 'quoted'";
  record.blocking = true;
  std::string sql = insert_history_sql(tables, record);
  CHECK_THAT(sql, Catch::Contains("'boom ''quoted'''"));
  CHECK_THAT(sql, Catch::Contains("NULL"));  // no checksum
  CHECK_THAT(sql, Catch::EndsWith("true)"));
}

TEST_CASE("lock keys are stable and differ per version table", "[version_sql]") {
  CHECK(derive_lock_key("public", "schemagate_version") ==
        derive_lock_key("public", "schemagate_version"));
  CHECK(derive_lock_key("public", "schemagate_version") !=
        derive_lock_key("other", "schemagate_version"));
}

TEST_CASE("one statement moves the version rows and logs the step", "[version_sql]") {
  VersionTables tables{"app", "versions", "history"};
  HistoryRecord record;
  record.revision = "bbbbbbbbbbbb";
  std::string sql = version_change_sql(tables, {"aaaaaaaaaaaa"}, {"bbbbbbbbbbbb"}, record);
  CHECK_THAT(sql, Catch::StartsWith("WITH removed AS (DELETE FROM \"app\".\"versions\""));
  CHECK_THAT(sql, Catch::Contains("added AS (INSERT INTO \"app\".\"versions\""));
  CHECK_THAT(sql, Catch::Contains("logged AS (INSERT INTO \"app\".\"history\""));
  CHECK_THAT(sql, Catch::EndsWith("SELECT (SELECT count(*) FROM removed)"));
  CHECK_THAT(version_change_sql(tables, {}, {"bbbbbbbbbbbb"}, record), Catch::EndsWith("SELECT 0"));
}

TEST_CASE("huge error texts are cut for the history table on a character boundary",
          "[version_sql]") {
  std::string huge(100000, 'x');
  huge += "\xC3\xA9";  // é at the end
  std::string cut = cut_for_history(huge);
  CHECK(cut.size() <= kHistoryErrorLimit);
  CHECK_THAT(cut, Catch::EndsWith(" bytes cut)"));
  std::string accents;
  for (int i = 0; i < 3000; ++i) accents += "\xC3\xA9";
  std::string cut_accents = cut_for_history(accents);
  std::string kept = cut_accents.substr(0, cut_accents.find("..."));
  CHECK(kept.size() % 2 == 0);
  HistoryRecord record = succeeded_record("aaaaaaaaaaaa", "up", "", "pod");
  record.error = huge;
  CHECK(insert_history_sql({}, record).size() < kHistoryErrorLimit + 1000);
  CHECK(cut_for_history("short") == "short");
}
