#include "sqlite/sqlite_dialect.h"

#include "engine/sql_text.h"
#include "sqlite/body_analysis.h"

namespace schemagate::sqlite {

using engine::quote_literal;

Result<sql::Analysis> SqliteDialect::analyze_body(const std::string& path,
                                                  const std::string& body, int first_line,
                                                  bool transactional,
                                                  bool wrapped_transaction) const {
  return sqlite::analyze_body(path, body, first_line, transactional, wrapped_transaction);
}

engine::VersionTables sqlite_tables(engine::VersionTables tables) {
  tables.schema = "main";
  return tables;
}

std::string SqliteDialect::create_tables(const engine::VersionTables& given) const {
  const engine::VersionTables tables = sqlite_tables(given);
  return "CREATE TABLE IF NOT EXISTS " + tables.version() +
         " (version_num varchar(32) NOT NULL PRIMARY KEY);\n"
         "CREATE TABLE IF NOT EXISTS " + tables.history() + " (\n"
         "    id integer PRIMARY KEY AUTOINCREMENT,\n"
         "    revision varchar(32) NOT NULL,\n"
         "    direction text NOT NULL CHECK (direction IN ('up', 'down', 'stamp', 'repair', 'repeat')),\n"
         "    checksum char(64),\n"
         "    started_at text NOT NULL,\n"
         "    duration_ms integer NOT NULL,\n"
         "    applied_by text NOT NULL,\n"
         "    outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),\n"
         "    error text,\n"
         "    blocking integer NOT NULL DEFAULT 0 CHECK (blocking IN (0, 1))\n"
         ");\n";
}

std::string SqliteDialect::create_lease_table(const engine::VersionTables& given) const {
  const engine::VersionTables tables = sqlite_tables(given);
  return "CREATE TABLE IF NOT EXISTS " + tables.lease() +
         " (id integer PRIMARY KEY CHECK (id = 1), holder text NOT NULL, host text NOT NULL, "
         "pid integer NOT NULL, process text NOT NULL, acquired_at real NOT NULL, "
         "expires_at real NOT NULL)";
}

std::string SqliteDialect::delete_versions(const engine::VersionTables& given,
                                           const std::vector<std::string>& removed) const {
  const engine::VersionTables tables = sqlite_tables(given);
  std::string list;
  for (const std::string& revision : removed) {
    list += (list.empty() ? "" : ", ") + quote_literal(revision);
  }
  return "DELETE FROM " + tables.version() + " WHERE version_num IN (" + list + ")";
}

std::string SqliteDialect::insert_versions(const engine::VersionTables& given,
                                           const std::vector<std::string>& added) const {
  const engine::VersionTables tables = sqlite_tables(given);
  std::string values;
  for (const std::string& revision : added) {
    values += (values.empty() ? "(" : ", (") + quote_literal(revision) + ")";
  }
  return "INSERT INTO " + tables.version() + " (version_num) VALUES " + values;
}

std::string SqliteDialect::insert_history(const engine::VersionTables& given,
                                          const engine::HistoryRecord& record) const {
  const engine::VersionTables tables = sqlite_tables(given);
  auto nullable = [](const std::string& text) {
    return text.empty() ? std::string("NULL") : quote_literal(text);
  };
  // SQLite has no transaction start time: the duration runs from started_at
  // to this row's write, the migration's last.
  std::string duration =
      record.duration_of_transaction
          ? "CAST(round((julianday('now') - julianday(" + quote_literal(record.started_at) +
                ")) * 86400000) AS integer)"
          : std::to_string(record.duration_ms);
  return "INSERT INTO " + tables.history() +
         " (revision, direction, checksum, started_at, duration_ms, applied_by, outcome, error, "
         "blocking) VALUES (" +
         quote_literal(record.revision) + ", " + quote_literal(record.direction) + ", " +
         nullable(record.checksum) + ", " + quote_literal(record.started_at) + ", " + duration +
         ", " + quote_literal(record.applied_by) + ", " + quote_literal(record.outcome) + ", " +
         nullable(engine::cut_for_history(record.error)) + ", " +
         (record.blocking ? "1" : "0") + ")";
}

}  // namespace schemagate::sqlite
