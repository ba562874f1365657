#include "postgres/round_trip.h"

#include "engine/round_trip.h"
#include "postgres/catalog_reader.h"
#include "postgres/executor.h"
#include "postgres/postgres_database.h"
#include "postgres/scratch_database.h"
#include "schema/fingerprint.h"
#include "schemagate/common/logging.h"

namespace schemagate::schema {
namespace {

/// A scratch database's catalog, read before and after each step.
class CatalogSubject : public engine::RoundTripSubject {
 public:
  CatalogSubject(pqxx::connection& connection, postgres::VersionStore& store,
                 const script::ScriptDirectory& scripts, const engine::VersionTables& tables,
                 const engine::ExecutorOptions& options)
      : connection_(connection),
        map_(scripts.map()),
        tables_(tables),
        executor_(connection, store, options, {}, Clock::real()) {}

  Status apply(const script::Migration& migration, const script::Step& step) override {
    return executor_.run(map_, migration, step);
  }

  Snapshot snapshot() override {
    catalogs_.push_back(read_catalog(connection_, tables_));
    return catalogs_.size() - 1;
  }

  std::vector<std::string> differences_from(Snapshot snapshot) override {
    std::vector<std::string> lines;
    for (const Difference& difference :
         compare(catalogs_[snapshot], read_catalog(connection_, tables_))) {
      lines.push_back(schema::describe(difference));
    }
    return lines;
  }

  std::string describe(Snapshot at_heads) override {
    return ", schema " + fingerprint(catalogs_[at_heads]).substr(0, 12);
  }

 private:
  pqxx::connection& connection_;
  const script::RevisionMap& map_;
  const engine::VersionTables& tables_;
  postgres::Executor executor_;
  std::vector<Catalog> catalogs_;
};

Status round_trip(pqxx::connection& connection, postgres::VersionStore& store,
                  const script::ScriptDirectory& scripts, const engine::VersionTables& tables,
                  const engine::ExecutorOptions& options, std::ostream& out) {
  store.ensure_tables();
  CatalogSubject subject(connection, store, scripts, tables, options);
  return engine::round_trip(scripts, subject, out);
}

}  // namespace

Status test_round_trip(const DevServer& dev, const script::ScriptDirectory& scripts,
                       std::ostream& out) {
  Result<std::unique_ptr<ScratchDatabase>> scratch =
      ScratchDatabase::create(dev.url, dev.wait_for_db);
  if (!scratch) return scratch.error();
  log::info("testing every revision's round trip", {{"database", (*scratch)->name()}});
  pqxx::connection& connection = (*scratch)->connection();
  engine::DatabaseSettings settings;
  settings.url = dev.url;
  settings.tables = dev.tables;
  std::unique_ptr<postgres::PostgresDatabase> database =
      postgres::PostgresDatabase::over(connection, settings, Clock::real());
  return database->guard([&]() -> Status {
    postgres::VersionStore store(connection, dev.tables);
    return round_trip(connection, store, scripts, dev.tables, dev.executor, out);
  });
}

}  // namespace schemagate::schema
