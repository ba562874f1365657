// Inputs long enough to exhaust the stack of a backtracking regex (std::regex
// recurses once per character): every scan of user text is linear and flat.
#include <catch2/catch.hpp>

#include <filesystem>

#include "importers/chain_builder.h"
#include "importers/source_history.h"
#include "importers/source_text.h"
#include "support/graphs.h"
#include "support/temp_dir.h"

using namespace schemagate;
using importers::Format;
using testing::TempDir;

TEST_CASE("a target of 47,000 characters is a typed error", "[target][hostile]") {
  auto map = testing::diamond();
  for (const std::string& spec :
       {std::string(47000, 'a'), std::string(47000, 'a') + "+1", "a1" + std::string(47000, '+'),
        "a1+" + std::string(47000, '1'), std::string(47000, '-') + "1"}) {
    auto target = script::resolve_target(map, spec);
    REQUIRE_FALSE(target.ok());
    CHECK(target.error().exit_code() == 2);
  }
}

TEST_CASE("relative targets still read as before", "[target][hostile]") {
  auto map = testing::diamond();
  auto two_up = script::resolve_target(map, "a1+2");
  REQUIRE(two_up.ok());
  CHECK(map.ids(*two_up) == std::vector<std::string>{"c3"});
  auto back = script::resolve_target(map, "c3-000001");
  REQUIRE(back.ok());
  CHECK(map.ids(*back) == std::vector<std::string>{"b2"});
  CHECK_FALSE(script::resolve_target(map, "a1+1234567").ok());
}

TEST_CASE("dbmate: a marker with a 100 KB tail and long blank runs", "[importers][hostile]") {
  TempDir dir;
  dir.write("1_tail.sql", "-- migrate:up " + std::string(100000, 'x') + " transaction:false\n"
                              "SELECT 1;\n");
  dir.write("2_blanks.sql", std::string(100000, ' ') + "\n--" + std::string(100000, '\t') +
                                "migrate:up" + std::string(100000, ' ') + "\nSELECT 2;\n");
  auto history = importers::read_history(Format::kDbmate, dir.path());
  REQUIRE(history.ok());
  REQUIRE(history->migrations.size() == 2);
  CHECK(history->migrations[0].declared_nontransactional);
  CHECK(history->migrations[0].up.sql == "SELECT 1;\n");
  CHECK(history->migrations[1].up.sql == "SELECT 2;\n");
  CHECK(history->migrations[1].up.first_line == 3);
}

TEST_CASE("dbmate: SQL before the marker after a long blank run is still refused",
          "[importers][hostile]") {
  TempDir dir;
  dir.write("1_x.sql", std::string(200000, ' ') + "SELECT 0;\n-- migrate:up\nSELECT 1;\n");
  auto history = importers::read_history(Format::kDbmate, dir.path());
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message(), Catch::Contains("SQL before the first"));
}

TEST_CASE("importer file names are read by the tools' rules", "[importers][hostile]") {
  auto golang = importers::parse_golang_migrate_name("0001_add_users.down.sql");
  REQUIRE(golang);
  CHECK(golang->version == "0001");
  CHECK(golang->description == "add_users");
  CHECK(golang->kind == "down");
  CHECK_FALSE(importers::parse_golang_migrate_name("1_.sql"));
  CHECK_FALSE(importers::parse_golang_migrate_name("x1_a.up.sql"));
  auto flyway = importers::parse_flyway_name("V1_2.3__x__y.sql");
  REQUIRE(flyway);
  CHECK(flyway->version == "1_2.3");
  CHECK(flyway->description == "x__y");
  CHECK(flyway->kind == "V");
  CHECK_FALSE(importers::parse_flyway_name("V1._2__x.sql"));
  CHECK_FALSE(importers::parse_flyway_name("V1_x.sql"));
  CHECK(importers::is_flyway_repeatable_name("R__views.sql"));
  auto diesel = importers::parse_diesel_name("2024-01-31-120000_create_users");
  REQUIRE(diesel);
  CHECK(diesel->version == "2024-01-31-120000");
  CHECK(diesel->description == "create_users");
  CHECK_FALSE(importers::parse_dbmate_name("1_a\nb.sql"));
  std::string long_name = std::string(200, '1') + "_" + std::string(50, 'x') + ".sql";
  CHECK(importers::parse_dbmate_name(long_name));
}

TEST_CASE("diesel metadata: run_in_transaction = false, with blanks and comments",
          "[importers][hostile]") {
  CHECK(importers::diesel_runs_outside_transaction("run_in_transaction = false\n"));
  CHECK(importers::diesel_runs_outside_transaction("# x\n  run_in_transaction=false # why\r\n"));
  CHECK_FALSE(importers::diesel_runs_outside_transaction("run_in_transaction = true\n"));
  CHECK_FALSE(importers::diesel_runs_outside_transaction("# run_in_transaction = false\n"));
  CHECK_FALSE(importers::diesel_runs_outside_transaction(std::string(300000, ' ') + "x"));
}

TEST_CASE("a directive-like comment deep in a long imported body is found by line",
          "[importers][hostile]") {
  std::string up = std::string(100000, ' ') + "\nSELECT 1;\n  --\tschemagate:up\n";
  importers::SourceHistory history{
      Format::kGolangMigrate,
      {{*importers::Version::parse("1"), "x", {up, "1_x.up.sql", 1}, std::nullopt, false}}};
  auto chain = importers::build_chain(history);
  REQUIRE_FALSE(chain.ok());
  CHECK_THAT(chain.error().message(), Catch::Contains("1_x.up.sql:3: a '-- schemagate:'"));
}

TEST_CASE("an import directory holding a link to itself is an error naming it",
          "[importers][hostile]") {
  for (Format format :
       {Format::kGolangMigrate, Format::kFlyway, Format::kDbmate, Format::kDiesel}) {
    TempDir dir;
    std::filesystem::create_symlink("loop", dir.path() / "loop");
    auto history = importers::read_history(format, dir.path());
    REQUIRE_FALSE(history.ok());
    CHECK(history.error().exit_code() == 2);
    CHECK_THAT(history.error().message(), Catch::Contains("loop: "));
  }
}
