#include "engine/version_store.h"

#include <algorithm>

#include "engine/sql_text.h"

namespace schemagate::engine {

bool VersionStore::tables_exist() {
  if (known_to_exist_) return true;
  pqxx::nontransaction query(connection_);
  pqxx::row row = query.exec1("SELECT to_regclass(" + quote_literal(tables_.version()) +
                              ") IS NOT NULL AND to_regclass(" +
                              quote_literal(tables_.history()) + ") IS NOT NULL");
  known_to_exist_ = row[0].as<bool>();
  return known_to_exist_;
}

bool VersionStore::table_exists(const std::string& qualified_name, bool& known) {
  if (known || known_to_exist_) return true;
  pqxx::nontransaction query(connection_);
  known = query.exec1("SELECT to_regclass(" + quote_literal(qualified_name) + ") IS NOT NULL")[0]
              .as<bool>();
  return known;
}

bool VersionStore::version_table_exists() { return table_exists(tables_.version(), version_known_); }

bool VersionStore::history_table_exists() { return table_exists(tables_.history(), history_known_); }

int64_t VersionStore::history_rows() {
  if (!history_table_exists()) return 0;
  pqxx::nontransaction query(connection_);
  return query.exec1("SELECT count(*) FROM " + tables_.history())[0].as<int64_t>();
}

void VersionStore::ensure_tables() {
  if (tables_exist()) return;
  pqxx::work create(connection_);
  create.exec(create_tables_sql(tables_));
  create.commit();
  known_to_exist_ = true;
}

std::vector<std::string> VersionStore::heads() {
  // The rows count even without the history table: Alembic's own
  // alembic_version, shared, has none; elsewhere the bookkeeping check
  // refuses the run rather than read an empty table as "nothing applied".
  if (!version_table_exists()) return {};
  pqxx::nontransaction query(connection_);
  std::vector<std::string> rows;
  for (const auto& row : query.exec("SELECT version_num FROM " + tables_.version())) {
    rows.push_back(row[0].as<std::string>());
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<BlockingFailure> VersionStore::blocking_failures() {
  if (!history_table_exists()) return {};
  pqxx::nontransaction query(connection_);
  std::vector<BlockingFailure> failures;
  // The started row of an attempt names its session (executor.cpp).
  for (const auto& row : query.exec(
           "SELECT h.revision, h.direction, h.started_at::text, coalesce(h.error, ''), "
           "EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = substring(h.error FROM "
           "'\\(backend pid ([0-9]{1,9})\\)')::int AND a.backend_start <= h.started_at) FROM " +
           tables_.history() + " h WHERE h.blocking ORDER BY h.id")) {
    failures.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                        row[2].as<std::string>(), row[3].as<std::string>(), row[4].as<bool>()});
  }
  return failures;
}

std::map<std::string, std::string> VersionStore::recorded_checksums() {
  std::map<std::string, std::string> checksums;
  if (!history_table_exists()) return checksums;
  pqxx::nontransaction query(connection_);
  for (const auto& row : query.exec(
           "SELECT DISTINCT ON (revision) revision, checksum FROM " + tables_.history() +
           " WHERE outcome = 'succeeded' AND direction IN ('up', 'stamp', 'repair') "
           "AND checksum IS NOT NULL ORDER BY revision, id DESC")) {
    checksums[row[0].as<std::string>()] = row[1].as<std::string>();
  }
  return checksums;
}

void VersionStore::record(const HistoryRecord& record) {
  pqxx::work write(connection_);
  write.exec(insert_history_sql(tables_, record));
  write.commit();
}

int64_t VersionStore::record_attempt(const HistoryRecord& record) {
  pqxx::work write(connection_);
  pqxx::row id = write.exec1(insert_history_sql(tables_, record) + " RETURNING id");
  write.commit();
  return id[0].as<int64_t>();
}

void VersionStore::note_attempt(int64_t id, const std::string& error) {
  pqxx::work write(connection_);
  write.exec("UPDATE " + tables_.history() + " SET error = " +
             quote_literal(cut_for_history(error)) + " WHERE id = " + std::to_string(id));
  write.commit();
}

int VersionStore::clear_blocking_failures() {
  if (!history_table_exists()) return 0;
  pqxx::work write(connection_);
  pqxx::result cleared =
      write.exec("UPDATE " + tables_.history() + " SET blocking = false WHERE blocking");
  write.commit();
  return static_cast<int>(cleared.affected_rows());
}

}  // namespace schemagate::engine
