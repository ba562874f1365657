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

void VersionStore::ensure_tables() {
  if (tables_exist()) return;
  pqxx::work create(connection_);
  create.exec(create_tables_sql(tables_));
  create.commit();
  known_to_exist_ = true;
}

std::vector<std::string> VersionStore::heads() {
  if (!tables_exist()) return {};
  pqxx::nontransaction query(connection_);
  std::vector<std::string> rows;
  for (const auto& row : query.exec("SELECT version_num FROM " + tables_.version())) {
    rows.push_back(row[0].as<std::string>());
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<BlockingFailure> VersionStore::blocking_failures() {
  if (!tables_exist()) return {};
  pqxx::nontransaction query(connection_);
  std::vector<BlockingFailure> failures;
  for (const auto& row : query.exec("SELECT revision, started_at::text, coalesce(error, '') FROM " +
                                    tables_.history() + " WHERE blocking ORDER BY id")) {
    failures.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                        row[2].as<std::string>()});
  }
  return failures;
}

std::map<std::string, std::string> VersionStore::recorded_checksums() {
  std::map<std::string, std::string> checksums;
  if (!tables_exist()) return checksums;
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

int VersionStore::clear_blocking_failures() {
  if (!tables_exist()) return 0;
  pqxx::work write(connection_);
  pqxx::result cleared =
      write.exec("UPDATE " + tables_.history() + " SET blocking = false WHERE blocking");
  write.commit();
  return static_cast<int>(cleared.affected_rows());
}

}  // namespace schemagate::engine
