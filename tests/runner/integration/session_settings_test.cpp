#include <string>

#include "commands/opening_database.h"
#include "postgres/connector.h"
#include "postgres/postgres_database.h"
#include "postgres/version_store.h"
#include "runner/integration/support.h"

using namespace schemagate;
using namespace schemagate::testing;

namespace {

std::string check_interval(pqxx::connection& connection) {
  pqxx::nontransaction query(connection);
  return query.exec1("SHOW client_connection_check_interval")[0].as<std::string>();
}

}  // namespace

TEST_CASE("the session settings travel with the state query, tables there or not",
          "[connect][session]") {
  TestDatabase db;
  pqxx::connection connection(db.url());
  const std::string settings = postgres::session_defaults_sql(connection);
  REQUIRE_FALSE(settings.empty());  // the test server is PostgreSQL 14 or later
  postgres::VersionStore store(connection, engine::VersionTables{});

  SECTION("a first run: the first statement fails on the missing tables and takes them back") {
    engine::StoredState state = store.read_state(settings);
    CHECK_FALSE(state.version_table_exists);
    CHECK(check_interval(connection) == "1s");
  }
  SECTION("the usual run: one statement") {
    store.ensure_tables();
    engine::StoredState state = store.read_state(settings);
    CHECK(state.version_table_exists);
    CHECK(check_interval(connection) == "1s");
  }
}

TEST_CASE("a runner's connection has its session settings before its first statement returns",
          "[connect][session]") {
  TestDatabase db;
  engine::DatabaseSettings settings;
  settings.url = db.url();
  settings.applied_by = "session-test";
  commands::OpeningDatabase opening(settings);
  Result<std::unique_ptr<engine::Database>> database = opening.take();
  REQUIRE(database.ok());
  postgres::PostgresDatabase* postgres = postgres::as_postgres(**database);
  REQUIRE(postgres);

  SECTION("with the state query") {
    (*database)->read_state();
    CHECK(check_interval(postgres->connection()) == "1s");
  }
  SECTION("on their own, when something else comes first") {
    CHECK(check_interval(postgres->connection()) == "1s");
  }
}
