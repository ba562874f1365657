#include <chrono>
#include <cstdlib>

#include "engine/version_records.h"
#include "postgres/catalog_reader.h"
#include "postgres/scratch_database.h"
#include "runner/integration/schema_generator.h"
#include "runner/integration/support.h"
#include "schema/declared_schema.h"
#include "schema/fingerprint.h"
#include "schema/schema_comparison.h"

using namespace schemagate;
using namespace schemagate::testing;

namespace {

uint64_t env_number(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::strtoull(value, nullptr, 10) : fallback;
}

/// Empties the database between pairs: faster than a new database each time.
void reset(pqxx::connection& connection) {
  pqxx::nontransaction run(connection);
  run.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
}

schema::Catalog declare(pqxx::connection& connection, const std::string& sql) {
  reset(connection);
  Status applied = schema::apply_declared_schema(connection, {{"generated.sql", sql}});
  INFO(sql);
  REQUIRE(applied.ok());
  return schema::read_catalog(connection, engine::VersionTables{});
}

/// Runs `statements` as autogenerate would write them: one transaction, or
/// one by one outside any for the concurrent index revision.
std::string run(pqxx::connection& connection, const std::vector<schema::Statement>& statements,
                bool transactional) {
  try {
    if (transactional) {
      pqxx::work tx(connection);
      for (const schema::Statement& statement : statements) tx.exec(statement.sql);
      tx.commit();
    } else {
      for (const schema::Statement& statement : statements) {
        pqxx::nontransaction tx(connection);
        tx.exec(statement.sql);
      }
    }
    pqxx::nontransaction tx(connection);
    tx.exec("RESET ALL");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

std::string differences(const schema::Catalog& expected, const schema::Catalog& actual) {
  std::string text;
  for (const auto& difference : schema::compare(expected, actual)) {
    text += "  " + schema::describe(difference) + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("differential: random schema pairs, the generated up reaches the second and down the "
          "first", "[schema][differential]") {
  const uint64_t seed = env_number("SCHEMAGATE_DIFF_SEED", 20261207);
  const uint64_t pairs = env_number("SCHEMAGATE_DIFF_PAIRS", 250);
  TestDatabase first;
  TestDatabase second;
  SchemaGenerator generator(seed);
  auto start = std::chrono::steady_clock::now();
  uint64_t changed = 0;
  uint64_t statements = 0;
  GeneratedSchema current = generator.generate();
  for (uint64_t pair = 0; pair < pairs; ++pair) {
    GeneratedSchema next = pair % 10 == 9 ? generator.generate() : generator.mutate(current);
    std::string before_sql = render_sql(current);
    std::string after_sql = render_sql(next);
    schema::Catalog target = declare(second.connection(), after_sql);
    schema::Catalog origin = declare(first.connection(), before_sql);
    schema::SchemaGap gap = schema::gap_between(origin, target);
    changed += !gap.empty();
    statements += gap.up.size() + gap.concurrent.size();

    INFO("seed " << seed << ", pair " << pair << " (SCHEMAGATE_DIFF_SEED, SCHEMAGATE_DIFF_PAIRS)\n"
         << "-- first:\n" << before_sql << "-- second:\n" << after_sql << "-- up:\n"
         << schema::render(gap.up) << schema::render(gap.concurrent) << "-- down:\n"
         << schema::render(gap.concurrent_down) << schema::render(gap.down));
    REQUIRE(run(first.connection(), gap.up, true).empty());
    REQUIRE(run(first.connection(), gap.concurrent, false).empty());
    schema::Catalog reached = schema::read_catalog(first.connection(), engine::VersionTables{});
    INFO("after up:\n" << differences(target, reached));
    REQUIRE(schema::compare(target, reached).empty());

    REQUIRE(run(first.connection(), gap.concurrent_down, false).empty());
    REQUIRE(run(first.connection(), gap.down, true).empty());
    schema::Catalog back = schema::read_catalog(first.connection(), engine::VersionTables{});
    INFO("after down:\n" << differences(origin, back));
    REQUIRE(schema::compare(origin, back).empty());
    current = next;
  }
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::steady_clock::now() - start).count();
  WARN(pairs << " pairs in " << seconds << " s (seed " << seed << "): " << changed
             << " differed, " << statements << " statements up");
  // Most pairs must differ, or the generator tests nothing.
  CHECK(changed * 10 >= pairs * 8);
}
