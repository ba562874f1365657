#include <catch2/catch.hpp>

#include "runner/engine/conformance.h"
#include "sqlite/sqlite_database.h"
#include "support/temp_dir.h"

using namespace schemagate;
using namespace schemagate::testing;

namespace {

/// A fresh database file; each connect() is a runner's own connection.
class SqliteEngine : public EngineUnderTest {
 public:
  std::unique_ptr<engine::Database> connect() override {
    engine::DatabaseSettings settings;
    settings.url = "sqlite:///" + (dir_.path() / "app.db").string();
    settings.engine = "sqlite";
    settings.applied_by = "conformance";
    // As the migrator's lock timeout: another runner's reads wait no longer.
    settings.lock_timeout = std::chrono::milliseconds(200);
    Result<std::unique_ptr<engine::Database>> opened =
        sqlite::open_database(settings, Clock::real());
    REQUIRE(opened);
    return std::move(opened).value();
  }

 private:
  TempDir dir_;
};

}  // namespace

TEST_CASE("conformance: SQLite", "[engine][conformance][sqlite]") {
  database_conformance([] { return std::make_unique<SqliteEngine>(); });
}
