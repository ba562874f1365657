#include <chrono>
#include <functional>
#include <string>

#include "commands/opening_database.h"
#include "runner/integration/support.h"
#include "support/eventually.h"
#include "support/ports.h"

using namespace schemagate;
using namespace schemagate::testing;

namespace {

std::string sessions_named(TestDatabase& db, const std::string& application_name) {
  return db.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" +
                   application_name + "'");
}

}  // namespace

TEST_CASE("a connection opened while the directory is read is closed when not taken",
          "[connect][opening]") {
  TestDatabase db;
  engine::DatabaseSettings settings;
  settings.url = db.url();
  settings.applied_by = "opening-" + db.name();
  const std::string name = "schemagate/" + settings.applied_by;
  {
    commands::OpeningDatabase opening(settings);
    REQUIRE(eventually([&] { return sessions_named(db, name) == "1"; }, std::chrono::seconds(30)));
  }
  // The session ended as soon as the object went: no connection outlives it.
  CHECK(eventually([&] { return sessions_named(db, name) == "0"; }, std::chrono::seconds(30)));
}

TEST_CASE("a connection opened while the directory is read serves the command once taken",
          "[connect][opening]") {
  TestDatabase db;
  engine::DatabaseSettings settings;
  settings.url = db.url();
  settings.applied_by = "opening-" + db.name();
  commands::OpeningDatabase opening(settings);
  Result<std::unique_ptr<engine::Database>> database = opening.take();
  REQUIRE(database.ok());
  engine::StoredState state;
  Status read = (*database)->guard([&]() -> Status {
    state = (*database)->read_state();
    return {};
  });
  REQUIRE(read.ok());
  CHECK_FALSE(state.version_table_exists);
}

TEST_CASE("a broken directory ends the run at once while the connection is still retried",
          "[connect][opening]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT 1;\n", "", "-- schemagate:phase later\n");
  std::string unreachable =
      "postgresql://postgres:secret@127.0.0.1:" + std::to_string(free_port()) + "/postgres";
  auto start = std::chrono::steady_clock::now();
  auto result = run_cli(project, unreachable, {"upgrade", "--wait-for-db", "120"});
  auto waited = std::chrono::steady_clock::now() - start;
  expect_exit(result, 2);
  CHECK_THAT(result.err, Catch::Contains("aaaaaaaaaaa1_"));
  CHECK_THAT(result.err, Catch::Contains("'-- schemagate:phase' must be"));
  // The retries of --wait-for-db stop with the run, not 120 s later.
  CHECK(waited < std::chrono::seconds(60));
}

TEST_CASE("an unreachable server is reported after the directory loads",
          "[connect][opening]") {
  Project project;
  project.add("aaaaaaaaaaa1", {}, "SELECT 1;\n");
  std::string unreachable =
      "postgresql://postgres:secret@127.0.0.1:" + std::to_string(free_port()) + "/postgres";
  auto result = run_cli(project, unreachable, {"upgrade"});
  expect_exit(result, 3);
  CHECK_THAT(result.err, Catch::Contains("cannot connect to"));
  CHECK_THAT(result.err, !Catch::Contains("secret"));
}
