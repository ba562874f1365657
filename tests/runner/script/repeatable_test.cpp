#include <catch2/catch.hpp>

#include "script/migration_parser.h"
#include "script/repeatable.h"

using namespace schemagate;
using script::Migration;

namespace {

Migration repeatable(const std::string& id, const std::string& message, const std::string& sql) {
  auto migration = script::parse_migration(
      "versions/" + id + "_r.sql", "-- schemagate:revision " + id + "\n-- schemagate:message " +
                                       message + "\n-- schemagate:repeatable true\n"
                                       "-- schemagate:up\n" + sql);
  REQUIRE(migration.ok());
  return std::move(migration).value();
}

std::vector<std::string> ids(const std::vector<const Migration*>& migrations) {
  std::vector<std::string> out;
  for (const Migration* migration : migrations) out.push_back(migration->revision.id);
  return out;
}

}  // namespace

TEST_CASE("repeatables run in message order, ties by id", "[repeatable]") {
  std::vector<Migration> all = {repeatable("c1", "views", "SELECT 1;\n"),
                                repeatable("b1", "grants", "SELECT 2;\n"),
                                repeatable("a1", "views", "SELECT 3;\n")};
  script::order_repeatables(all);
  CHECK(all[0].revision.id == "b1");
  CHECK(all[1].revision.id == "a1");
  CHECK(all[2].revision.id == "c1");
}

TEST_CASE("only never-applied or changed repeatables are selected", "[repeatable]") {
  std::vector<Migration> all = {repeatable("a1", "a", "SELECT 1;\n"),
                                repeatable("b1", "b", "SELECT 2;\n"),
                                repeatable("c1", "c", "SELECT 3;\n")};
  CHECK(ids(script::changed_repeatables(all, {})) == std::vector<std::string>{"a1", "b1", "c1"});
  std::map<std::string, std::string> recorded = {{"a1", all[0].checksum()},
                                                 {"b1", all[1].checksum()},
                                                 {"c1", all[2].checksum()}};
  CHECK(script::changed_repeatables(all, recorded).empty());
  // Whitespace-only edits are not changes; an edited statement is.
  all[0] = repeatable("a1", "a", "SELECT 1;   \n\n");
  all[1] = repeatable("b1", "b", "SELECT 22;\n");
  CHECK(ids(script::changed_repeatables(all, recorded)) == std::vector<std::string>{"b1"});
}

TEST_CASE("a repeatable id may not repeat another revision's", "[repeatable]") {
  std::vector<Migration> repeatables = {repeatable("a1", "a", "SELECT 1;\n")};
  auto versioned = script::parse_migration(
      "versions/a1_v.sql", "-- schemagate:revision a1\n-- schemagate:up\nSELECT 1;\n");
  REQUIRE(versioned.ok());
  Status status = script::check_repeatable_ids(repeatables, {*versioned});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().exit_code() == 2);
  CHECK_THAT(status.error().message(),
             Catch::Contains("versions/a1_r.sql:1") && Catch::Contains("versions/a1_v.sql"));
  repeatables.push_back(repeatable("a1", "b", "SELECT 2;\n"));
  CHECK_FALSE(script::check_repeatable_ids(repeatables, {}).ok());
}
