#include <catch2/catch.hpp>

#include "importers/adoption.h"

using namespace schemagate;
using importers::AppliedVersions;
using importers::ImportedRevision;
using importers::Version;

namespace {

std::vector<ImportedRevision> chain_of(const std::vector<std::string>& versions) {
  std::vector<ImportedRevision> chain;
  for (const std::string& version : versions) {
    chain.push_back(ImportedRevision{script::Migration{}, *Version::parse(version), version});
  }
  return chain;
}

AppliedVersions applied(std::vector<std::string> versions) {
  AppliedVersions result;
  result.table = "schema_migrations";
  result.versions = std::move(versions);
  return result;
}

std::optional<size_t> position(const std::vector<ImportedRevision>& chain,
                               const AppliedVersions& versions) {
  auto result = importers::adopted_position(chain, versions);
  INFO((result.ok() ? "" : result.error().message()));
  REQUIRE(result.ok());
  return *result;
}

}  // namespace

TEST_CASE("the last applied version gives the revision to stamp", "[importers][adoption]") {
  auto chain = chain_of({"1", "1.1", "2", "10"});
  CHECK(position(chain, applied({"1", "2", "1.1"})) == std::optional<size_t>(2));
  CHECK(position(chain, applied({"2.0", "1", "1.1", "10"})) == std::optional<size_t>(3));
  CHECK(position(chain, applied({})) == std::nullopt);
  AppliedVersions latest = applied({"2"});
  latest.latest_only = true;
  CHECK(position(chain, latest) == std::optional<size_t>(2));
  AppliedVersions baseline = applied({"10"});
  baseline.baseline = "2";
  CHECK(position(chain, baseline) == std::optional<size_t>(3));
}

TEST_CASE("adoption refuses what a stamp would misstate", "[importers][adoption]") {
  auto chain = chain_of({"1", "2", "3"});
  auto unknown = importers::adopted_position(chain, applied({"1", "4"}));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().exit_code() == 5);
  CHECK_THAT(unknown.error().message(),
             Catch::StartsWith("schema_migrations: version 4 is recorded as applied"));
  auto gap = importers::adopted_position(chain, applied({"1", "3"}));
  REQUIRE_FALSE(gap.ok());
  CHECK_THAT(gap.error().message(), Catch::Contains("version(s) 2 are not applied although"));
  AppliedVersions dirty = applied({"2"});
  dirty.failure = "golang-migrate marks version 2 dirty (it failed halfway)";
  auto refused = importers::adopted_position(chain, dirty);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().exit_code() == 5);
  CHECK_THAT(refused.error().message(), Catch::Contains("marks version 2 dirty"));
}

TEST_CASE("flyway's history is replayed in rank order", "[importers][adoption]") {
  using importers::FlywayRow;
  std::vector<FlywayRow> rows = {
      {std::nullopt, "SCHEMA", true, "\"public\""},
      {std::string("1"), "BASELINE", true, "<< Flyway Baseline >>"},
      {std::string("2"), "SQL", true, "V2__a.sql"},
      {std::string("2.1"), "SQL", true, "V2_1__b.sql"},
      {std::nullopt, "SQL", true, "R__views.sql"},
      {std::string("2.1"), "UNDO_SQL", true, "U2_1__b.sql"},
      {std::string("3"), "JDBC", true, "V3__java"},
  };
  AppliedVersions applied = importers::replay_flyway_history(rows);
  CHECK(applied.versions == std::vector<std::string>{"2", "3"});
  CHECK(applied.baseline == std::optional<std::string>("1"));
  CHECK(applied.failure.empty());
  auto chain = chain_of({"0.9", "1", "2", "2.1", "3"});
  auto gap = importers::adopted_position(chain, applied);
  REQUIRE_FALSE(gap.ok());  // 2.1 was undone below the applied 3
  CHECK_THAT(gap.error().message(), Catch::Contains("version(s) 2.1 are not applied"));

  rows.push_back({std::string("4"), "SQL", false, "V4__broken.sql"});
  AppliedVersions failed = importers::replay_flyway_history(rows);
  CHECK_THAT(failed.failure, Catch::StartsWith("Flyway records a failed migration, version 4 "
                                               "(V4__broken.sql)"));
}

TEST_CASE("flyway's Java migrations without files are applied, without a revision",
          "[importers][adoption]") {
  using importers::FlywayRow;
  std::vector<FlywayRow> rows = {
      {std::string("1"), "SQL", true, "V1__a.sql"},
      {std::string("2"), "JDBC", true, "db.migration.V2__Backfill"},
      {std::string("3"), "SQL", true, "V3__c.sql"},
  };
  AppliedVersions applied = importers::replay_flyway_history(rows);
  CHECK(applied.code_versions == std::vector<std::string>{"2"});
  auto chain = chain_of({"1", "3", "4"});
  CHECK(importers::code_versions_without_files(chain, applied) == std::vector<std::string>{"2"});
  auto position = importers::adopted_position(chain, applied);
  REQUIRE(position.ok());
  CHECK(*position == std::optional<size_t>(1));
  // A SQL row without its file is still refused.
  rows[1].type = "SQL";
  auto missing = importers::adopted_position(chain, importers::replay_flyway_history(rows));
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message(), Catch::Contains("version 2 is recorded as applied"));
}
