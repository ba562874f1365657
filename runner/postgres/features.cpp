#include "postgres/features.h"

#include "postgres/applied_versions.h"
#include "postgres/catalog_reader.h"
#include "postgres/lint_facts.h"
#include "postgres/postgres_database.h"
#include "postgres/strong_lock_gate.h"

namespace schemagate::postgres {
namespace {

Result<PostgresDatabase*> postgres_of(engine::Database& database, const std::string& feature) {
  PostgresDatabase* postgres = as_postgres(database);
  if (!postgres) {
    return Error(ErrorCode::kInvalid,
                 feature + " needs a PostgreSQL database; docs/sqlite.md (\"Commands and formats\")"
                           " lists what works on SQLite instead");
  }
  return postgres;
}

}  // namespace

Result<std::unique_ptr<engine::Database>> open_database(const engine::DatabaseSettings& settings,
                                                        Clock& clock, const StopSignal* stop) {
  Result<std::unique_ptr<PostgresDatabase>> opened = PostgresDatabase::open(settings, clock, stop);
  if (!opened) return opened.error();
  return std::unique_ptr<engine::Database>(std::move(opened).value());
}

const engine::SqlDialect& sql_dialect() {
  static const PostgresDialect dialect;
  return dialect;
}

Result<std::unique_ptr<lint::Facts>> lint_facts(engine::Database& database) {
  Result<PostgresDatabase*> postgres = postgres_of(database, "lint with a database");
  if (!postgres) return postgres.error();
  return std::unique_ptr<lint::Facts>(
      std::make_unique<lint::DatabaseFacts>((*postgres)->connection()));
}

Status gate_strong_locks(engine::Database& database, const engine::ExecutorOptions& executor,
                         Clock& clock) {
  Result<PostgresDatabase*> postgres = postgres_of(database, "--safety-checks");
  if (!postgres) return postgres.error();
  (*postgres)->set_statement_gate(strong_lock_gate(executor, clock));
  return {};
}

Result<schema::Catalog> read_catalog(engine::Database& database) {
  Result<PostgresDatabase*> postgres = postgres_of(database, "reading the schema");
  if (!postgres) return postgres.error();
  return schema::read_catalog((*postgres)->connection(), database.tables());
}

Result<importers::AppliedVersions> applied_versions(engine::Database& database,
                                                    importers::Format format) {
  Result<PostgresDatabase*> postgres = postgres_of(database, "import --adopt-database");
  if (!postgres) return postgres.error();
  return importers::read_applied_versions((*postgres)->connection(), format);
}

Result<std::vector<std::string>> alembic_version_rows(engine::Database& database) {
  Result<PostgresDatabase*> postgres = postgres_of(database, "import --adopt-database");
  if (!postgres) return postgres.error();
  pqxx::nontransaction query((*postgres)->connection());
  if (!query.exec1("SELECT to_regclass('alembic_version') IS NOT NULL")[0].as<bool>()) {
    return Error(ErrorCode::kStateRefused,
                 "no alembic table alembic_version in this database (search_path: " +
                     query.exec1("SHOW search_path")[0].as<std::string>() +
                     "): nothing says what is applied; check the database URL");
  }
  std::vector<std::string> rows;
  for (const auto& row : query.exec("SELECT version_num::text FROM alembic_version")) {
    rows.push_back(row[0].as<std::string>());
  }
  return rows;
}

}  // namespace schemagate::postgres
