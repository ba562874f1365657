#pragma once

#include <map>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "engine/version_sql.h"

namespace schemagate::engine {

/// A failed non-transactional migration that blocks upgrades until repair.
struct BlockingFailure {
  std::string revision;
  std::string direction;  ///< up | down
  std::string started_at;
  std::string error;
  /// A started row whose runner's session is still connected: an attempt
  /// under way, not a failure.
  bool in_progress = false;
};

/// Reads and writes the version and history tables. Throws pqxx exceptions;
/// the migrator turns them into typed errors with context.
class VersionStore {
 public:
  VersionStore(pqxx::connection& connection, VersionTables tables)
      : connection_(connection), tables_(std::move(tables)) {}

  const VersionTables& tables() const { return tables_; }
  /// Both tables exist.
  bool tables_exist();
  /// Each table on its own: a database may hold one without the other (a
  /// version table shared with Alembic, or a table dropped by hand).
  bool version_table_exists();
  bool history_table_exists();
  /// How many history rows there are; 0 when the table does not exist.
  int64_t history_rows();
  void ensure_tables();
  /// The version rows, sorted; empty when the table does not exist yet.
  std::vector<std::string> heads();
  std::vector<BlockingFailure> blocking_failures();
  /// revision -> checksum of its latest successful up, stamp or repair.
  std::map<std::string, std::string> recorded_checksums();
  /// Writes one history row in its own transaction.
  void record(const HistoryRecord& record);
  /// Writes one history row in its own transaction and returns its id: the
  /// "started" record of a non-transactional migration, written blocking
  /// before its first statement so that a runner killed midway leaves it.
  int64_t record_attempt(const HistoryRecord& record);
  /// Replaces the error text of history row `id` (progress, or the failure).
  void note_attempt(int64_t id, const std::string& error);
  /// Clears every blocking failure; returns how many there were.
  int clear_blocking_failures();

 private:
  pqxx::connection& connection_;
  VersionTables tables_;
  bool table_exists(const std::string& qualified_name, bool& known);

  /// Once seen, the tables stay for the run: every read after the first
  /// skips the catalog lookup (a no-op run at head is a few queries).
  bool known_to_exist_ = false;
  bool version_known_ = false;
  bool history_known_ = false;
};

}  // namespace schemagate::engine
