#include "sqlite/applied_versions.h"

#include "engine/sql_text.h"

namespace schemagate::sqlite {
namespace {

using importers::AppliedVersions;
using importers::Format;

bool truthy(const std::optional<std::string>& value) {
  // SQLite stores booleans as 1/0; some drivers write 'true'/'t'.
  return value && (*value == "1" || *value == "true" || *value == "t");
}

void read_golang_migrate(Connection& connection, AppliedVersions& applied) {
  applied.latest_only = true;
  for (const Row& row : connection.query("SELECT version, dirty FROM schema_migrations")) {
    const std::string version = row[0].value_or("");
    if (truthy(row[1])) {
      applied.failure = "golang-migrate marks version " + version + " dirty (it failed halfway)";
    }
    applied.versions.push_back(version);
  }
}

void read_flyway(Connection& connection, AppliedVersions& applied) {
  bool has_checksum = !connection
                           .query("SELECT 1 FROM pragma_table_info('flyway_schema_history') "
                                  "WHERE name = 'checksum'")
                           .empty();
  std::vector<importers::FlywayRow> rows;
  for (const Row& row : connection.query(
           std::string("SELECT version, type, success, script, ") +
           (has_checksum ? "checksum" : "NULL") +
           " FROM flyway_schema_history ORDER BY installed_rank")) {
    importers::FlywayRow entry;
    entry.version = row[0];
    entry.type = row[1].value_or("");
    entry.success = truthy(row[2]);
    entry.script = row[3].value_or("");
    if (row[4]) entry.checksum = std::stoll(*row[4]);
    rows.push_back(std::move(entry));
  }
  applied = importers::replay_flyway_history(rows);
}

}  // namespace

Result<AppliedVersions> read_applied_versions(Connection& connection, Format format) {
  AppliedVersions applied;
  applied.table = importers::version_table_of(format);
  if (connection
          .query("SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = " +
                 engine::quote_literal(applied.table))
          .empty()) {
    return Error(ErrorCode::kStateRefused,
                 std::string("no ") + importers::format_name(format) + " table " +
                     applied.table + " in " + connection.url().path +
                     ": nothing says what is applied; check the database URL");
  }
  switch (format) {
    case Format::kGolangMigrate: read_golang_migrate(connection, applied); break;
    case Format::kFlyway: read_flyway(connection, applied); break;
    case Format::kDbmate:
    case Format::kDiesel:
      for (const Row& row :
           connection.query(std::string("SELECT version FROM ") + applied.table)) {
        applied.versions.push_back(row[0].value_or(""));
      }
      break;
  }
  return applied;
}

Result<std::vector<std::string>> alembic_version_rows(Connection& connection) {
  if (connection
          .query("SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = "
                 "'alembic_version'")
          .empty()) {
    return Error(ErrorCode::kStateRefused,
                 "no alembic_version table in " + connection.url().path +
                     ": nothing says what Alembic applied; check the database URL");
  }
  std::vector<std::string> rows;
  for (const Row& row : connection.query("SELECT version_num FROM alembic_version ORDER BY 1")) {
    rows.push_back(row[0].value_or(""));
  }
  return rows;
}

}  // namespace schemagate::sqlite
