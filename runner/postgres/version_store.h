#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "engine/database.h"
#include "postgres/version_sql.h"

namespace schemagate::postgres {

/// Reads and writes the version and history tables. Throws pqxx exceptions;
/// PostgresDatabase::guard turns them into typed errors with context.
class VersionStore {
 public:
  VersionStore(pqxx::connection& connection, VersionTables tables)
      : connection_(connection), tables_(std::move(tables)) {}

  const VersionTables& tables() const { return tables_; }
  /// The version rows, the blocking failures and the repeatables' checksums
  /// in one statement. Only when a table is missing (a first run, a version
  /// table shared with Alembic, a table dropped by hand) does it take two.
  /// `settings` (SET statements) go in front of the first statement that
  /// succeeds: a failed one takes them back with it.
  engine::StoredState read_state(const std::string& settings = "");
  /// revision -> its latest recorded checksum (engine::Database's); empty
  /// without the history table.
  std::map<std::string, std::string> recorded_checksums();
  /// pg_backend_pid() as the last read_state saw it; 0 before.
  int server_pid() const { return server_pid_; }
  void ensure_tables();
  /// Both version tables are DELETEd, INSERTed or UPDATEd in one transaction
  /// of `tx`: checks the DELETE removed every row in `removed`, else throws
  /// version_rows_moved (SQLSTATE 40001).
  void write_versions(pqxx::transaction_base& tx, const std::vector<std::string>& removed,
                      const std::vector<std::string>& added);
  /// Writes one history row in its own transaction.
  void record(const HistoryRecord& record);
  /// Writes one history row in its own transaction and returns its id: the
  /// "started" record of a non-transactional migration, written blocking
  /// before its first statement so that a runner killed midway leaves it.
  int64_t record_attempt(const HistoryRecord& record);
  /// Replaces the error text of history row `id` (progress, or the failure).
  void note_attempt(int64_t id, const std::string& error);
  /// Ends attempt `id` of `revision` in `tx`: its started row goes, and the
  /// rows of earlier attempts that died stop blocking (they stay as history).
  void finish_attempt(pqxx::transaction_base& tx, int64_t id, const std::string& revision);
  /// Clears every blocking failure in `tx`; returns how many there were.
  int clear_blocking_failures(pqxx::transaction_base& tx);

 private:
  pqxx::connection& connection_;
  VersionTables tables_;
  /// Once seen, the tables stay for the run: ensure_tables after a state
  /// that had them is free.
  bool known_to_exist_ = false;
  int server_pid_ = 0;
};

/// The exception a version change throws when its rows moved under it: a
/// serialization failure, as the server would give, so guard() reports it
/// as a rolled-back write to run again.
[[noreturn]] void throw_version_rows_moved(const std::string& expected, const std::string& found);

}  // namespace schemagate::postgres
