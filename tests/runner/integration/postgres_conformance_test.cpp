#include <catch2/catch.hpp>

#include "postgres/features.h"
#include "runner/engine/conformance.h"
#include "support/test_database.h"

using namespace schemagate;
using namespace schemagate::testing;

namespace {

/// A fresh database of the test server; each connect() is a runner's.
class PostgresEngine : public EngineUnderTest {
 public:
  std::unique_ptr<engine::Database> connect() override {
    engine::DatabaseSettings settings;
    settings.url = database_.url();
    settings.applied_by = "conformance";
    settings.lock_key = engine::derive_lock_key("public", "schemagate_version");
    Result<std::unique_ptr<engine::Database>> opened =
        postgres::open_database(settings, Clock::real());
    REQUIRE(opened);
    return std::move(opened).value();
  }

 private:
  TestDatabase database_;
};

}  // namespace

TEST_CASE("conformance: PostgreSQL", "[engine][conformance]") {
  database_conformance([] { return std::make_unique<PostgresEngine>(); });
}
