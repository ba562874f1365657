#include "postgres/applied_versions.h"

namespace schemagate::importers {
namespace {

void read_golang_migrate(pqxx::nontransaction& query, AppliedVersions& applied) {
  applied.latest_only = true;
  for (const pqxx::row& row : query.exec("SELECT version::text, dirty FROM schema_migrations")) {
    if (row[1].as<bool>()) {
      applied.failure = "golang-migrate marks version " + row[0].as<std::string>() +
                        " dirty (it failed halfway)";
    }
    applied.versions.push_back(row[0].as<std::string>());
  }
}

void read_flyway(pqxx::nontransaction& query, AppliedVersions& applied) {
  std::vector<FlywayRow> rows;
  for (const pqxx::row& row :
       // Through to_jsonb: a table made by hand (or by an old Flyway) may lack
       // the checksum column, which only repeatables need.
       query.exec("SELECT version, type, success, script, (to_jsonb(h) ->> 'checksum')::bigint "
                  "FROM flyway_schema_history h ORDER BY installed_rank")) {
    FlywayRow entry;
    if (!row[0].is_null()) entry.version = row[0].as<std::string>();
    entry.type = row[1].as<std::string>();
    entry.success = row[2].as<bool>();
    entry.script = row[3].as<std::string>("");
    if (!row[4].is_null()) entry.checksum = row[4].as<int64_t>();
    rows.push_back(std::move(entry));
  }
  applied = replay_flyway_history(rows);
}

void read_version_column(pqxx::nontransaction& query, AppliedVersions& applied) {
  for (const pqxx::row& row :
       query.exec(std::string("SELECT version::text FROM ") + applied.table)) {
    applied.versions.push_back(row[0].as<std::string>());
  }
}

}  // namespace

Result<AppliedVersions> read_applied_versions(pqxx::connection& connection, Format format) {
  AppliedVersions applied;
  applied.table = version_table_of(format);
  pqxx::nontransaction query(connection);
  if (query.exec_params("SELECT to_regclass($1) IS NOT NULL", applied.table)[0][0].as<bool>() ==
      false) {
    return Error(ErrorCode::kStateRefused,
                 std::string("no ") + format_name(format) + " table " + applied.table +
                     " in this database (search_path: " +
                     query.exec("SHOW search_path")[0][0].as<std::string>() +
                     "): nothing says what is applied; check the database URL");
  }
  switch (format) {
    case Format::kGolangMigrate: read_golang_migrate(query, applied); break;
    case Format::kFlyway: read_flyway(query, applied); break;
    case Format::kDbmate:
    case Format::kDiesel: read_version_column(query, applied); break;
  }
  return applied;
}

}  // namespace schemagate::importers
