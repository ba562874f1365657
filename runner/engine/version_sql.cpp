#include "engine/version_sql.h"

#include <chrono>
#include <ctime>

#include "engine/sql_text.h"
#include "schemagate/common/sha256.h"

namespace schemagate::engine {

std::string VersionTables::version() const { return qualified_name(schema, version_table); }
std::string VersionTables::history() const { return qualified_name(schema, history_table); }
std::string VersionTables::lease() const {
  return qualified_name(schema, version_table + "_lease");
}

std::string cut_for_history(const std::string& text) {
  if (text.size() <= kHistoryErrorLimit) return text;
  size_t end = kHistoryErrorLimit - 64;  // room for the note
  // Never end inside a UTF-8 sequence: back up over continuation bytes.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "... (" + std::to_string(text.size() - end) + " bytes cut)";
}

HistoryRecord succeeded_record(const std::string& revision, const std::string& direction,
                               const std::string& checksum, const std::string& applied_by) {
  HistoryRecord record;
  record.revision = revision;
  record.direction = direction;
  record.checksum = checksum;
  record.started_at = utc_timestamp_now();
  record.applied_by = applied_by;
  record.outcome = "succeeded";
  return record;
}

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

int64_t derive_lock_key(const std::string& schema, const std::string& version_table) {
  std::string digest = sha256_hex("schemagate:" + schema + "." + version_table);
  uint64_t bits = std::stoull(digest.substr(0, 16), nullptr, 16);
  return static_cast<int64_t>(bits);
}

std::string utc_timestamp_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char with_millis[48];
  std::snprintf(with_millis, sizeof with_millis, "%s.%03lldZ", buffer,
                static_cast<long long>(millis));
  return with_millis;
}

}  // namespace schemagate::engine
