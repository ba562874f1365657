#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/migration_lock.h"
#include "engine/sql_dialect.h"
#include "engine/version_records.h"
#include "schemagate/common/backoff.h"
#include "schemagate/common/result.h"
#include "script/migration.h"
#include "script/planner.h"
#include "script/revision_map.h"
#include "sql/created_objects.h"

/// The database as the runner sees it: the one interface every command goes
/// through. An engine (PostgreSQL in runner/postgres/, an in-memory fake in
/// the tests, SQLite) implements it; the migrator and the commands hold no
/// SQL and no driver. tests/runner/engine/conformance.h proves an
/// implementation by the same behavioural tests as every other one.
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

/// What every command decides from, read in one round trip. Missing tables
/// read as empty. It holds nothing that grows with the history (the applied
/// revisions' checksums are Database::recorded_checksums), so a run at head
/// reads a few rows whatever the history's size.
struct StoredState {
  bool version_table_exists = false;
  bool history_table_exists = false;
  std::vector<std::string> version_rows;  ///< sorted
  int64_t history_rows = 0;
  std::vector<BlockingFailure> blocking;  ///< in the order they were written
  /// revision -> checksum of its latest successful repeat or stamp: what a
  /// repeatable revision is compared with.
  std::map<std::string, std::string> repeatable_checksums;
};

/// Another migration tool's table that records applied migrations.
struct ForeignTable {
  std::string tool;    ///< Alembic, golang-migrate, dbmate, Flyway, diesel
  std::string table;   ///< as found through the search_path
  std::string format;  ///< the `import --from` word
  std::string rows;    ///< what it records, for the message ("2 rows", or Alembic's revisions)
};

/// How a migration runs against the database, whatever the engine.
struct ExecutorOptions {
  /// How long a migration statement waits for a lock before it gives up
  /// (PostgreSQL's lock_timeout, SQLite's busy timeout), so DDL never queues
  /// behind a long transaction while blocking all traffic behind itself.
  std::chrono::milliseconds statement_lock_timeout{5000};
  /// Retries of a migration (or statement) that hit that timeout.
  int lock_retries = 3;
  BackoffPolicy retry_backoff{std::chrono::milliseconds(500), std::chrono::milliseconds(10000)};
  std::string applied_by;  ///< host or pod name, for the history
};

/// One connection to a target database and the bookkeeping in it. Methods
/// may throw the engine's own exceptions; guard() is where they become typed
/// errors. Failures the runner expects (a migration's SQL failing, version
/// rows moved by someone else) come back as errors, already recorded.
class Database {
 public:
  virtual ~Database() = default;

  /// Runs `work`, turning this engine's exceptions (a server error, a lost
  /// connection) into typed errors with their exit codes, never holding a
  /// password: the one place that translation happens.
  virtual Status guard(const std::function<Status()>& work) = 0;

  virtual const VersionTables& tables() const = 0;
  /// The SQL text of this engine's bookkeeping, for `--sql`.
  virtual const SqlDialect& dialect() const = 0;

  /// Takes the lock that makes one runner apply migrations: exit 4 after
  /// `timeout`, logging who holds it meanwhile. Released by the returned
  /// lock (and by the server if the holder dies).
  virtual Result<std::unique_ptr<MigrationLock>> lock(std::chrono::milliseconds timeout) = 0;

  /// The state, in one round trip.
  virtual StoredState read_state() = 0;
  /// revision -> checksum of its latest successful up, stamp or repair; empty
  /// without the history table. A row per applied revision, so it is read
  /// only when applied files are compared (verify, check, repair, a run
  /// with steps), in a second round trip.
  virtual std::map<std::string, std::string> recorded_checksums() = 0;
  /// Other tools' tables recording applied migrations: read only when the
  /// state holds no record at all (bookkeeping_check.h).
  virtual std::vector<ForeignTable> foreign_tables() = 0;
  /// Positions in `objects` of those the database already holds (a schema
  /// counts when it holds something); one round trip.
  virtual std::vector<size_t> existing_objects(const std::vector<sql::CreatedObject>& objects) = 0;

  /// Creates the version and history tables when missing.
  virtual void ensure_tables() = 0;
  /// Runs one planned step. A transactional migration commits its SQL, its
  /// version row changes and its history row in one transaction; a failure
  /// rolls all of it back, records the failure and returns exit 1 with the
  /// file and line. A non-transactional one first commits a blocking
  /// "started" history row, then runs statement by statement noting its
  /// progress there; its version change removes it, and a runner killed
  /// midway leaves it for the next run (BlockingFailure). Version rows that
  /// are not where the step expects them fail it (exit 1), changing nothing.
  /// `durable`: the commit waits for the disk; a plan commits only its last
  /// step durably, which flushes all before it.
  virtual Status apply(const script::RevisionMap& map, const script::Migration& migration,
                       const script::Step& step, bool durable) = 0;
  /// Runs one repeatable revision in a transaction with its `repeat`
  /// history row; a failure rolls it back, is recorded, and returns exit 1.
  virtual Status apply_repeatable(const script::Migration& migration) = 0;
  /// Replaces version rows `removed` by `added` and writes `history`, in one
  /// transaction that also clears every blocking failure: what `stamp`
  /// writes. Exit 1, nothing written, when a row of `removed` is not there.
  virtual Status write_stamp(const std::vector<std::string>& removed,
                             const std::vector<std::string>& added,
                             const std::vector<HistoryRecord>& history) = 0;
  /// Writes one history row in its own transaction.
  virtual void record(const HistoryRecord& record) = 0;
  /// Clears every blocking failure; returns how many there were.
  virtual int clear_blocking_failures() = 0;
};

/// The error every engine returns when the version rows a write expects to
/// move are not there: another writer changed them under us.
Error version_rows_moved(const std::string& expected, const std::string& found);

}  // namespace schemagate::engine
