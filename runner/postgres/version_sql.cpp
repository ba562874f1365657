#include "postgres/version_sql.h"

#include "engine/sql_text.h"

namespace schemagate::postgres {

using engine::cut_for_history;
using engine::quote_identifier;
using engine::quote_literal;



std::string create_tables_sql(const VersionTables& tables) {
  return "CREATE SCHEMA IF NOT EXISTS " + quote_identifier(tables.schema) + ";\n" +
         "CREATE TABLE IF NOT EXISTS " + tables.version() +
         " (version_num varchar(32) NOT NULL PRIMARY KEY);\n"
         "CREATE TABLE IF NOT EXISTS " + tables.history() + " (\n"
         "    id bigserial PRIMARY KEY,\n"
         "    revision varchar(32) NOT NULL,\n"
         "    direction text NOT NULL CHECK (direction IN ('up', 'down', 'stamp', 'repair', 'repeat')),\n"
         "    checksum char(64),\n"
         "    started_at timestamptz NOT NULL,\n"
         "    duration_ms bigint NOT NULL,\n"
         "    applied_by text NOT NULL,\n"
         "    outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),\n"
         "    error text,\n"
         "    blocking boolean NOT NULL DEFAULT false\n"
         ");\n";
}

std::string delete_versions_sql(const VersionTables& tables,
                                 const std::vector<std::string>& removed) {
  std::string list;
  for (const std::string& revision : removed) {
    list += (list.empty() ? "" : ", ") + quote_literal(revision);
  }
  return "DELETE FROM " + tables.version() + " WHERE version_num IN (" + list + ")";
}

std::string insert_versions_sql(const VersionTables& tables,
                                const std::vector<std::string>& added) {
  std::string values;
  for (const std::string& revision : added) {
    values += (values.empty() ? "(" : ", (") + quote_literal(revision) + ")";
  }
  return "INSERT INTO " + tables.version() + " (version_num) VALUES " + values;
}

std::string move_version_sql(const VersionTables& tables, const std::string& from,
                             const std::string& to) {
  return "UPDATE " + tables.version() + " SET version_num = " + quote_literal(to) +
         " WHERE version_num = " + quote_literal(from);
}

std::string insert_history_sql(const VersionTables& tables, const HistoryRecord& record) {
  auto nullable = [](const std::string& text) {
    return text.empty() ? std::string("NULL") : quote_literal(text);
  };
  return "INSERT INTO " + tables.history() +
         " (revision, direction, checksum, started_at, duration_ms, applied_by, outcome, error, "
         "blocking) VALUES (" +
         quote_literal(record.revision) + ", " + quote_literal(record.direction) + ", " +
         nullable(record.checksum) + ", " + quote_literal(record.started_at) + ", " +
         (record.duration_of_transaction
              ? std::string("(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint")
              : std::to_string(record.duration_ms)) +
         ", " + quote_literal(record.applied_by) + ", " +
         quote_literal(record.outcome) + ", " + nullable(cut_for_history(record.error)) + ", " +
         (record.blocking ? "true" : "false") + ")";
}

std::string version_change_sql(const VersionTables& tables, const std::vector<std::string>& removed,
                               const std::vector<std::string>& added, const HistoryRecord& record) {
  std::string sql = "WITH ";
  if (!removed.empty()) sql += "removed AS (" + delete_versions_sql(tables, removed) + " RETURNING 1), ";
  if (!added.empty()) sql += "added AS (" + insert_versions_sql(tables, added) + " RETURNING 1), ";
  sql += "logged AS (" + insert_history_sql(tables, record) + " RETURNING 1) SELECT ";
  sql += removed.empty() ? "0" : "(SELECT count(*) FROM removed)";
  return sql;
}


std::string allow_repeat_direction_sql(const VersionTables& tables) {
  const std::string table = quote_literal(tables.history());
  return "DO $schemagate$\nDECLARE c record;\nBEGIN\n"
         "  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = " + table +
         "::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%direction%' AND "
         "pg_get_constraintdef(oid) NOT LIKE '%repeat%' LOOP\n"
         "    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I, ADD CONSTRAINT %I CHECK (direction "
         "IN (''up'', ''down'', ''stamp'', ''repair'', ''repeat''))', " + table +
         ", c.conname, c.conname);\n"
         "  END LOOP;\nEND $schemagate$";
}

std::string recorded_checksums_sql(const VersionTables& tables) {
  return "SELECT DISTINCT ON (revision) revision, checksum FROM " + tables.history() +
         " WHERE outcome = 'succeeded' AND direction IN ('up', 'stamp', 'repair') "
         "AND checksum IS NOT NULL ORDER BY revision, id DESC";
}

std::string state_sql(const VersionTables& tables, bool version_table, bool history_table) {
  // The backend's own pid: behind a pooler it differs from the one the
  // connection announced (behind_pooler), learnt without a round trip more.
  std::vector<std::string> parts = {
      "SELECT 'p' AS kind, pg_backend_pid()::bigint AS position, NULL::text AS a, NULL::text "
      "AS b, NULL::text AS c, NULL::text AS d, false AS flag"};
  if (version_table) {
    parts.push_back("SELECT 'v', 0::bigint, version_num::text, NULL, NULL, NULL, false FROM " +
                    tables.version());
  }
  if (history_table) {
    const std::string history = tables.history();
    parts.push_back("SELECT 'n', count(*), NULL, NULL, NULL, NULL, false FROM " + history);
    // The started row of an attempt names its session (executor.cpp): a
    // session still connected is an attempt under way.
    parts.push_back(
        "SELECT 'b', h.id, h.revision, h.direction, h.started_at::text, coalesce(h.error, ''), "
        "EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = substring(h.error FROM "
        "'\\(backend pid ([0-9]{1,9})\\)')::int AND a.backend_start <= h.started_at) FROM " +
        history + " h WHERE h.blocking");
    parts.push_back("(SELECT DISTINCT ON (revision) 'r', 0::bigint, revision::text, "
                    "checksum::text, NULL, NULL, false FROM " + history +
                    " WHERE outcome = 'succeeded' AND direction IN ('repeat', 'stamp') "
                    "AND checksum IS NOT NULL ORDER BY revision, id DESC)");
  }
  std::string sql;
  for (const std::string& part : parts) sql += (sql.empty() ? "" : " UNION ALL ") + part;
  return sql + " ORDER BY 1, 2, 3";
}

std::string PostgresDialect::create_tables(const VersionTables& tables) const {
  return create_tables_sql(tables);
}

std::string PostgresDialect::allow_repeat_direction(const VersionTables& tables) const {
  return allow_repeat_direction_sql(tables);
}

std::string PostgresDialect::delete_versions(const VersionTables& tables,
                                             const std::vector<std::string>& removed) const {
  return delete_versions_sql(tables, removed);
}

std::string PostgresDialect::insert_versions(const VersionTables& tables,
                                             const std::vector<std::string>& added) const {
  return insert_versions_sql(tables, added);
}

std::string PostgresDialect::insert_history(const VersionTables& tables,
                                            const HistoryRecord& record) const {
  return insert_history_sql(tables, record);
}

}  // namespace schemagate::postgres
