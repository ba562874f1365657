#include <catch2/catch.hpp>

#include "importers/repeatable_import.h"
#include "script/migration_parser.h"

using namespace schemagate;
using importers::Format;

namespace {

importers::SourceHistory flyway_with(const std::string& name, const std::string& sql) {
  importers::SourceHistory history{Format::kFlyway, {}};
  history.repeatables.push_back({name, name, {sql, "R__" + name + ".sql", 1}});
  return history;
}

}  // namespace

TEST_CASE("Flyway's checksum is CRC32 over the lines, without their ends", "[importers][repeatable]") {
  // Values computed with another CRC32 implementation (zlib), as signed ints.
  CHECK(importers::flyway_checksum("CREATE OR REPLACE VIEW names AS SELECT name FROM t;\n") ==
        -1623054050);
  CHECK(importers::flyway_checksum("SELECT 1;\r\nSELECT 2;\r\n") == -1665099012);
  CHECK(importers::flyway_checksum("\xEF\xBB\xBF" "SELECT 1;\nSELECT 2;") == -1665099012);
  CHECK(importers::flyway_checksum("caf\xC3\xA9") == -1733475659);
}

TEST_CASE("an imported repeatable is a repeatable revision with a derived id",
          "[importers][repeatable]") {
  auto built = importers::build_repeatables(
      flyway_with("names_view", "CREATE OR REPLACE VIEW names AS SELECT 1;\n"));
  REQUIRE(built.ok());
  REQUIRE(built->size() == 1);
  const importers::ImportedRepeatable& imported = built->front();
  CHECK(imported.migration.revision.id == "d18b662a0d6b");  // sha256("flyway:R:names_view")
  auto parsed = script::parse_migration("x.sql", importers::render_imported(Format::kFlyway,
                                                                            imported));
  REQUIRE(parsed.ok());
  CHECK(parsed->repeatable);
  CHECK(parsed->up.sql == "CREATE OR REPLACE VIEW names AS SELECT 1;\n");
  CHECK(parsed->checksum() == imported.migration.checksum());
}

TEST_CASE("an imported repeatable must run in one transaction", "[importers][repeatable]") {
  auto refused = importers::build_repeatables(
      flyway_with("index", "CREATE INDEX CONCURRENTLY i ON t (id);\n"));
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message(),
             Catch::Contains("R__index.sql") && Catch::Contains("cannot run in a transaction"));
  auto directive = importers::build_repeatables(
      flyway_with("x", "SELECT 1;\n-- schemagate:down\nSELECT 2;\n"));
  REQUIRE_FALSE(directive.ok());
  CHECK_THAT(directive.error().message(), Catch::Contains("R__x.sql"));
}

TEST_CASE("adoption keeps the repeatables Flyway applied from the file as it is",
          "[importers][repeatable]") {
  importers::SourceHistory history{Format::kFlyway, {}};
  history.repeatables.push_back(
      {"names_view", "names view",
       {"CREATE OR REPLACE VIEW names AS SELECT name FROM t;\n", "R__names_view.sql", 1}});
  history.repeatables.push_back({"edited", "edited", {"SELECT 2;\n", "sub/R__edited.sql", 1}});
  history.repeatables.push_back({"failed", "failed", {"SELECT 3;\n", "R__failed.sql", 1}});
  history.repeatables.push_back({"new", "new", {"SELECT 4;\n", "R__new.sql", 1}});
  auto built = importers::build_repeatables(history);
  REQUIRE(built.ok());

  std::vector<importers::FlywayRow> rows = {
      {std::string("1"), "SQL", true, "V1__t.sql", 11},
      {std::nullopt, "SQL", true, "R__names_view.sql", -1623054050},
      {std::nullopt, "SQL", true, "R__edited.sql", 12345},
      {std::nullopt, "SQL", true, "R__failed.sql", importers::flyway_checksum("SELECT 3;\n")},
      {std::nullopt, "SQL", false, "R__failed.sql", importers::flyway_checksum("SELECT 3;\n")},
  };
  importers::AppliedVersions applied = importers::replay_flyway_history(rows);
  CHECK(applied.failure.empty());
  CHECK(applied.versions == std::vector<std::string>{"1"});
  auto adopted = importers::adopted_repeatables(*built, applied);
  REQUIRE(adopted.size() == 1);
  CHECK(adopted.front()->source == "R__names_view.sql");
}
