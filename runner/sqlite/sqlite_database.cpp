#include "sqlite/sqlite_database.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>

#include "engine/blocking_advice.h"
#include "engine/pause.h"
#include "engine/sql_text.h"
#include "schemagate/common/logging.h"
#include "sql/source_position.h"
#include "sqlite/body_analysis.h"
#include "sqlite/process_identity.h"

namespace schemagate::sqlite {
namespace {

using engine::HistoryRecord;
using engine::quote_literal;
using script::Direction;

const char* direction_name(Direction direction) {
  return direction == Direction::kUp ? "up" : "down";
}

std::string location(const script::Migration& migration, int line) {
  return migration.path + ":" + std::to_string(line);
}

/// The version rows were not where the step expected: another writer moved
/// them. Thrown inside the step's transaction, which is rolled back.
struct VersionRowsMoved {
  std::string expected;
  std::string found;
};

Error rows_moved(const VersionRowsMoved& moved) {
  return Error(ErrorCode::kMigrationFailed,
               "version rows changed concurrently: expected to move " + moved.expected +
                   ", found " + moved.found +
                   " row(s); another writer moved them. Nothing of this step was committed: "
                   "run again");
}

/// The lease lost between two steps, found in the step's own transaction.
struct LeaseLost {};

/// A foreign key left pointing nowhere, found before the commit.
struct ForeignKeyViolation {
  std::string what;
};

/// The started row of a non-transactional attempt names its process, so
/// that the next run tells an attempt under way from a dead one.
std::string progress_note(const std::string& applied_by, const ProcessIdentity& self,
                          const std::string& started_at, const std::string& done_through) {
  return "interrupted: started at " + started_at + " by " + applied_by + " (process " +
         self.host + "|" + std::to_string(self.pid) + "|" + self.process +
         ") and did not finish; " + done_through;
}

bool attempt_running(const std::string& note) {
  size_t begin = note.find("(process ");
  if (begin == std::string::npos) return false;
  size_t end = note.find(')', begin);
  if (end == std::string::npos) return false;
  std::string fields = note.substr(begin + 9, end - begin - 9);
  size_t first = fields.find('|');
  size_t second = first == std::string::npos ? first : fields.find('|', first + 1);
  if (second == std::string::npos) return false;
  ProcessIdentity other;
  other.host = fields.substr(0, first);
  other.pid = std::atol(fields.substr(first + 1, second - first - 1).c_str());
  other.process = fields.substr(second + 1);
  return liveness(other) == Liveness::kAlive;
}

/// Migration statements wait for the application's locks only as long as
/// --statement-lock-timeout says, as PostgreSQL's lock_timeout does.
class StatementTimeout {
 public:
  StatementTimeout(Connection& connection, const engine::DatabaseSettings& settings)
      : connection_(connection), settings_(settings) {
    connection_.set_busy_timeout(settings_.executor.statement_lock_timeout);
  }
  ~StatementTimeout() { connection_.set_busy_timeout(settings_.lock_timeout); }

 private:
  Connection& connection_;
  const engine::DatabaseSettings& settings_;
};

/// Hands out the lease while telling the database whether it is held.
class HeldLease : public engine::MigrationLock {
 public:
  HeldLease(std::unique_ptr<LeaseLock> lease, LeaseLock*& registration)
      : lease_(std::move(lease)), registration_(registration) {
    registration_ = lease_.get();
  }
  ~HeldLease() override {
    registration_ = nullptr;
    lease_->release();
  }
  Status acquire(std::chrono::milliseconds timeout) override { return lease_->acquire(timeout); }
  bool still_held() const override { return lease_->still_held(); }
  void release() override { lease_->release(); }

 private:
  std::unique_ptr<LeaseLock> lease_;
  LeaseLock*& registration_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(const engine::DatabaseSettings& settings, Clock& clock)
    : settings_(settings),
      tables_(sqlite_tables(settings.tables)),
      clock_(clock),
      random_(std::random_device{}()) {}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(
    const engine::DatabaseSettings& settings, Clock& clock) {
  Result<SqliteUrl> url = parse_sqlite_url(settings.url);
  if (!url) return url.error();
  if (settings.tables.schema != "public" && settings.tables.schema != "main") {
    log::warn("SQLite has no schemas: the version and history tables go in the main database, "
              "not in the schema schemagate.yaml names",
              {{"schema", settings.tables.schema}});
  }
  if (settings.lock_mode == "table") {
    log::warn("--lock-mode table is PostgreSQL's: on SQLite the migration lock is always a "
              "lease row (docs/sqlite.md)");
  }
  // Schemagate's own reads and writes wait for another runner's revision as
  // long as a runner waits for the lock; migration statements wait the
  // statement lock timeout (StatementTimeout).
  Result<std::unique_ptr<Connection>> connection = Connection::open(*url, settings.lock_timeout);
  if (!connection) return connection.error();
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase(settings, clock));
  database->connection_ = std::move(connection).value();
  return database;
}

Status SqliteDatabase::guard(const std::function<Status()>& work) {
  try {
    return work();
  } catch (const SqliteError& e) {
    connection_->rollback_quietly();
    const std::string where = " (" + connection_->url().path + ")";
    switch (e.primary_code()) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Error(ErrorCode::kLockTimeout,
                     "the SQLite database stayed locked by another connection beyond the busy "
                     "timeout" + where + ": " + e.what() +
                         ". Nothing was committed by this query: run again, or raise "
                         "--lock-timeout (another runner's revision blocks readers while it "
                         "writes; see docs/sqlite.md, \"Readers and writers\")");
      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_AUTH:
        return Error(ErrorCode::kStateRefused,
                     "the SQLite database refused a schemagate query" + where + ": " + e.what() +
                         "; may this user write the file and its directory (SQLite writes a "
                         "journal beside it)?");
      case SQLITE_IOERR:
      case SQLITE_CORRUPT:
      case SQLITE_FULL:
      case SQLITE_CANTOPEN:
      case SQLITE_NOTADB:
        return Error(ErrorCode::kUnreachable,
                     "the SQLite database cannot be read or written" + where + ": " + e.what());
      default:
        return Error(ErrorCode::kStateRefused,
                     "the SQLite database refused a schemagate query" + where + ": " + e.what() +
                         " (" + e.code_name() + ")");
    }
  } catch (const std::exception& e) {
    connection_->rollback_quietly();
    return Error(ErrorCode::kStateRefused,
                 "unexpected content in schemagate's tables of " + connection_->url().path +
                     ": " + e.what());
  }
}

Result<std::unique_ptr<engine::MigrationLock>> SqliteDatabase::lock(
    std::chrono::milliseconds timeout) {
  LeaseOptions options;
  options.tables = tables_;
  options.holder = settings_.applied_by + "/" + std::to_string(getpid());
  options.lease = settings_.lease;
  auto lease = std::make_unique<LeaseLock>(*connection_, options, clock_);
  Status acquired = lease->acquire(timeout);
  connection_->set_busy_timeout(settings_.lock_timeout);
  if (!acquired) return acquired.error();
  return std::unique_ptr<engine::MigrationLock>(new HeldLease(std::move(lease), lease_));
}

bool SqliteDatabase::table_exists(const std::string& name) {
  return !connection_
              ->query("SELECT 1 FROM main.sqlite_schema WHERE type = 'table' AND name = " +
                      quote_literal(name))
              .empty();
}

engine::StoredState SqliteDatabase::read_state() {
  engine::StoredState state;
  state.version_table_exists = table_exists(tables_.version_table);
  state.history_table_exists = table_exists(tables_.history_table);
  if (state.version_table_exists) {
    for (const Row& row : connection_->query("SELECT version_num FROM " + tables_.version() +
                                             " ORDER BY version_num")) {
      state.version_rows.push_back(row[0].value_or(""));
    }
  }
  if (!state.history_table_exists) return state;
  const std::string history = tables_.history();
  state.history_rows =
      std::stoll(connection_->query("SELECT count(*) FROM " + history)[0][0].value_or("0"));
  for (const Row& row : connection_->query(
           "SELECT revision, direction, started_at, coalesce(error, '') FROM " + history +
           " WHERE blocking ORDER BY id")) {
    engine::BlockingFailure failure{*row[0], *row[1], *row[2], *row[3], false};
    failure.in_progress = attempt_running(failure.error);
    state.blocking.push_back(std::move(failure));
  }
  // The latest row of each revision wins: ordered by id, later rows
  // overwrite earlier ones.
  for (const Row& row : connection_->query(
           "SELECT revision, checksum FROM " + history +
           " WHERE outcome = 'succeeded' AND direction IN ('repeat', 'stamp') "
           "AND checksum IS NOT NULL ORDER BY id")) {
    state.repeatable_checksums[*row[0]] = *row[1];
  }
  tables_known_ = state.version_table_exists && state.history_table_exists;
  return state;
}

std::map<std::string, std::string> SqliteDatabase::recorded_checksums() {
  std::map<std::string, std::string> checksums;
  if (!tables_known_ && !table_exists(tables_.history_table)) return checksums;
  // As in read_state: later rows overwrite earlier ones.
  for (const Row& row : connection_->query(
           "SELECT revision, checksum FROM " + tables_.history() +
           " WHERE outcome = 'succeeded' AND direction IN ('up', 'stamp', 'repair') "
           "AND checksum IS NOT NULL ORDER BY id")) {
    checksums[*row[0]] = *row[1];
  }
  return checksums;
}

std::vector<engine::ForeignTable> SqliteDatabase::foreign_tables() {
  std::vector<engine::ForeignTable> found;
  auto count = [&](const std::string& sql) {
    return std::stoll(connection_->query(sql)[0][0].value_or("0"));
  };
  auto rows = [](int64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); };
  if (tables_.version_table != "alembic_version" && table_exists("alembic_version")) {
    std::string revisions;
    for (const Row& row :
         connection_->query("SELECT version_num FROM alembic_version ORDER BY 1")) {
      revisions += (revisions.empty() ? "" : ", ") + row[0].value_or("");
    }
    if (!revisions.empty()) {
      found.push_back({"Alembic", "alembic_version", "alembic", "revision(s) " + revisions});
    }
  }
  if (table_exists("schema_migrations")) {
    // golang-migrate's table has a dirty flag; dbmate's has a version only.
    bool golang = count("SELECT count(*) FROM pragma_table_info('schema_migrations') WHERE "
                        "name = 'dirty'") > 0;
    int64_t n = count("SELECT count(*) FROM schema_migrations");
    if (n > 0) {
      found.push_back({golang ? "golang-migrate" : "dbmate", "schema_migrations",
                       golang ? "golang-migrate" : "dbmate", rows(n)});
    }
  }
  if (table_exists("flyway_schema_history")) {
    int64_t n = count("SELECT count(*) FROM flyway_schema_history WHERE type <> 'SCHEMA'");
    if (n > 0) found.push_back({"Flyway", "flyway_schema_history", "flyway", rows(n)});
  }
  if (table_exists("__diesel_schema_migrations")) {
    int64_t n = count("SELECT count(*) FROM __diesel_schema_migrations");
    if (n > 0) found.push_back({"diesel", "__diesel_schema_migrations", "diesel", rows(n)});
  }
  return found;
}

std::vector<size_t> SqliteDatabase::existing_objects(
    const std::vector<sql::CreatedObject>& objects) {
  std::vector<size_t> existing;
  for (size_t position = 0; position < objects.size(); ++position) {
    const sql::CreatedObject& object = objects[position];
    // SQLite has neither schemas nor types; a qualified name is main's or
    // temp's, or an attached database's.
    if (object.is_schema() || object.is_type()) continue;
    std::string schema = object.schema.empty() ? "main" : object.schema;
    try {
      if (!connection_
               ->query("SELECT 1 FROM " + engine::quote_identifier(schema) +
                       ".sqlite_schema WHERE name = " + quote_literal(object.name))
               .empty()) {
        existing.push_back(position);
      }
    } catch (const SqliteError&) {
      // An unknown database name: the object cannot be there.
    }
  }
  return existing;
}

void SqliteDatabase::ensure_tables() {
  if (tables_known_) return;
  connection_->exec("BEGIN IMMEDIATE");
  try {
    connection_->exec_script(dialect_.create_tables(tables_));
    connection_->exec("COMMIT");
  } catch (...) {
    connection_->rollback_quietly();
    throw;
  }
  tables_known_ = true;
}

void SqliteDatabase::begin_write() {
  connection_->exec("BEGIN IMMEDIATE");
  if (lease_ && !lease_->renew_in(*connection_)) throw LeaseLost{};
}

void SqliteDatabase::check_foreign_keys() {
  std::vector<Row> violations = connection_->query("PRAGMA foreign_key_check");
  if (violations.empty()) return;
  const Row& first = violations.front();
  throw ForeignKeyViolation{
      std::to_string(violations.size()) + " row(s) break a foreign key, the first in table " +
      first[0].value_or("?") + " (rowid " + first[1].value_or("?") + "), which points into " +
      first[2].value_or("?") + " at no row"};
}

void SqliteDatabase::write_version_change(const script::RevisionMap& map,
                                          const script::Step& step, const HistoryRecord& record) {
  const std::vector<std::string> removed = map.ids(step.rows_removed);
  if (!removed.empty()) {
    int64_t deleted = connection_->exec(dialect_.delete_versions(tables_, removed));
    if (deleted != static_cast<int64_t>(removed.size())) {
      throw VersionRowsMoved{map.describe(step.rows_removed), std::to_string(deleted)};
    }
  }
  const std::vector<std::string> added = map.ids(step.rows_added);
  if (!added.empty()) connection_->exec(dialect_.insert_versions(tables_, added));
  connection_->exec(dialect_.insert_history(tables_, record));
}

HistoryRecord SqliteDatabase::history(const script::Migration& migration,
                                      const script::Step& step,
                                      const std::string& started_at) const {
  HistoryRecord record =
      engine::succeeded_record(migration.revision.id, direction_name(step.direction),
                               migration.checksum(), settings_.applied_by);
  record.started_at = started_at;
  record.duration_of_transaction = true;
  return record;
}

// `durable` needs nothing here: a SQLite commit is on disk when it returns
// (synchronous FULL, Debian's default), so every step commits durably.
Status SqliteDatabase::apply(const script::RevisionMap& map, const script::Migration& migration,
                             const script::Step& step, bool) {
  Result<const script::Body*> body =
      script::body_for(migration, step.direction == Direction::kDown);
  if (!body) return body.error();
  Result<sql::Analysis> analysis =
      analyze_body(migration.path, (*body)->sql, (*body)->first_line, migration.transactional,
                   migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  StatementTimeout timeout(*connection_, settings_);
  return migration.transactional ? run_transactional(map, migration, step, *analysis)
                                 : run_statements(map, migration, step, *analysis);
}

Status SqliteDatabase::run_transactional(const script::RevisionMap& map,
                                         const script::Migration& migration,
                                         const script::Step& step,
                                         const sql::Analysis& analysis) {
  const std::string started_at = engine::utc_timestamp_now();
  for (int attempt = 0;; ++attempt) {
    const sql::Statement* current = nullptr;
    try {
      begin_write();
      for (const sql::AnalyzedStatement& entry : analysis.statements) {
        current = &entry.statement;
        connection_->exec_script(entry.statement.sql);
      }
      current = nullptr;
      check_foreign_keys();
      write_version_change(map, step, history(migration, step, started_at));
      connection_->exec("COMMIT");
      return {};
    } catch (const SqliteError& error) {
      connection_->rollback_quietly();
      if (error.busy() && attempt < settings_.executor.lock_retries) {
        auto delay = settings_.executor.retry_backoff.delay(attempt, random_);
        log::warn("the database stayed locked beyond the busy timeout; the migration rolled "
                  "back and will be retried",
                  {{"revision", migration.revision.id},
                   {"attempt", attempt + 1},
                   {"retry_in_ms", int64_t(delay.count())}});
        engine::pause(clock_, delay);
        continue;
      }
      return failed(migration, step, current, error, started_at, std::nullopt);
    } catch (const VersionRowsMoved& moved) {
      connection_->rollback_quietly();
      return rows_moved(moved);
    } catch (const LeaseLost&) {
      connection_->rollback_quietly();
      return Error(ErrorCode::kLockTimeout,
                   "the migration lease was lost before revision " + migration.revision.id +
                       "; another runner may have taken over. Nothing half done: run again");
    } catch (const ForeignKeyViolation& violation) {
      connection_->rollback_quietly();
      SqliteError error(SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed: " + violation.what +
                                 " (checked before the commit, since foreign keys are off "
                                 "while migrations run)");
      return failed(migration, step, nullptr, error, started_at, std::nullopt);
    }
  }
}

void SqliteDatabase::run_alone(const script::Migration& migration,
                               const sql::Statement& statement) {
  for (int attempt = 0;; ++attempt) {
    try {
      connection_->exec_script(statement.sql);
      return;
    } catch (const SqliteError& error) {
      connection_->rollback_quietly();
      if (!error.busy() || attempt >= settings_.executor.lock_retries) throw;
      auto delay = settings_.executor.retry_backoff.delay(attempt, random_);
      log::warn("the database stayed locked beyond the busy timeout; retrying the statement",
                {{"revision", migration.revision.id}, {"line", statement.line},
                 {"attempt", attempt + 1}, {"retry_in_ms", int64_t(delay.count())}});
      engine::pause(clock_, delay);
    }
  }
}

Status SqliteDatabase::run_statements(const script::RevisionMap& map,
                                      const script::Migration& migration,
                                      const script::Step& step, const sql::Analysis& analysis) {
  const std::string started_at = engine::utc_timestamp_now();
  const ProcessIdentity self = ProcessIdentity::self();
  HistoryRecord started = history(migration, step, started_at);
  started.duration_of_transaction = false;
  started.outcome = "failed";
  started.blocking = true;
  started.error = progress_note(settings_.applied_by, self, started_at, "no statement had finished");
  int64_t attempt_id = 0;
  try {
    begin_write();
    connection_->exec(dialect_.insert_history(tables_, started));
    attempt_id = connection_->last_insert_id();
    connection_->exec("COMMIT");
  } catch (const LeaseLost&) {
    connection_->rollback_quietly();
    return Error(ErrorCode::kLockTimeout,
                 "the migration lease was lost before revision " + migration.revision.id +
                     "; another runner may have taken over. Nothing of it ran: run again");
  }
  auto note = [&](const std::string& text) {
    connection_->exec("UPDATE " + tables_.history() + " SET error = " +
                      quote_literal(engine::cut_for_history(text)) +
                      " WHERE id = " + std::to_string(attempt_id));
  };
  const size_t total = analysis.statements.size();
  for (size_t i = 0; i < total; ++i) {
    const sql::Statement& statement = analysis.statements[i].statement;
    try {
      run_alone(migration, statement);
    } catch (const SqliteError& error) {
      return failed(migration, step, &statement, error, started_at, attempt_id);
    }
    note(progress_note(settings_.applied_by, self, started_at,
                       "statements 1-" + std::to_string(i + 1) + " of " + std::to_string(total) +
                           " finished, through line " + std::to_string(statement.line) + " of " +
                           migration.path));
  }
  try {
    begin_write();
    HistoryRecord done = history(migration, step, started_at);
    write_version_change(map, step, done);
    // The attempt is complete: its started row goes, and the rows of
    // earlier attempts that died stop blocking (they stay as history).
    connection_->exec("DELETE FROM " + tables_.history() + " WHERE id = " +
                      std::to_string(attempt_id));
    connection_->exec("UPDATE " + tables_.history() +
                      " SET blocking = 0 WHERE blocking AND revision = " +
                      quote_literal(migration.revision.id));
    connection_->exec("COMMIT");
  } catch (const VersionRowsMoved& moved) {
    connection_->rollback_quietly();
    return rows_moved(moved);
  } catch (const LeaseLost&) {
    connection_->rollback_quietly();
    return Error(ErrorCode::kLockTimeout,
                 "the migration lease was lost before the version rows of revision " +
                     migration.revision.id + " were written; its statements ran. Run again");
  }
  return {};
}

Error SqliteDatabase::failed(const script::Migration& migration, const script::Step& step,
                             const sql::Statement* statement, const SqliteError& error,
                             const std::string& started_at, std::optional<int64_t> attempt_id) {
  int line = statement ? statement->line : 0;
  if (statement && error.offset() >= 0) {
    line = sql::line_of_offset(statement->sql, static_cast<size_t>(error.offset()),
                               statement->line);
  }
  std::string where = line > 0 ? location(migration, line) : migration.path;
  std::string message = where + ": " + direction_name(step.direction) + " of revision " +
                        migration.revision.id + " (" + migration.revision.message +
                        ") failed: " + error.what() + " (" + error.code_name() + ")";
  if (attempt_id) {
    message += ". It is not transactional: statements before line " + std::to_string(line) +
               " stay applied. " +
               engine::blocking_advice(migration, step.direction == Direction::kDown, line);
  } else {
    message += ". Its transaction was rolled back: the database is at the previous revision";
  }
  const std::string recorded = std::string(error.what()) + " (" + where + ")";
  try {
    if (attempt_id) {
      connection_->exec("UPDATE " + tables_.history() + " SET error = " +
                        quote_literal(engine::cut_for_history(recorded)) +
                        " WHERE id = " + std::to_string(*attempt_id));
    } else {
      HistoryRecord record = history(migration, step, started_at);
      record.duration_of_transaction = false;
      record.outcome = "failed";
      record.error = recorded;
      this->record(record);
    }
  } catch (const std::exception& e) {
    log::error("could not record the failure in the history table", {{"error", e.what()}});
  }
  return Error(ErrorCode::kMigrationFailed, message);
}

Status SqliteDatabase::apply_repeatable(const script::Migration& migration) {
  Result<const script::Body*> body = script::body_for(migration, false);
  if (!body) return body.error();
  Result<sql::Analysis> analysis =
      analyze_body(migration.path, (*body)->sql, (*body)->first_line, true,
                   migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  const std::string started_at = engine::utc_timestamp_now();
  StatementTimeout timeout(*connection_, settings_);
  script::Step step;
  step.direction = Direction::kUp;
  const sql::Statement* current = nullptr;
  try {
    begin_write();
    for (const sql::AnalyzedStatement& entry : analysis->statements) {
      current = &entry.statement;
      connection_->exec_script(entry.statement.sql);
    }
    current = nullptr;
    check_foreign_keys();
    HistoryRecord record = engine::succeeded_record(migration.revision.id, "repeat",
                                                    migration.checksum(), settings_.applied_by);
    record.started_at = started_at;
    record.duration_of_transaction = true;
    connection_->exec(dialect_.insert_history(tables_, record));
    connection_->exec("COMMIT");
    return {};
  } catch (const SqliteError& error) {
    connection_->rollback_quietly();
    return failed(migration, step, current, error, started_at, std::nullopt);
  } catch (const LeaseLost&) {
    connection_->rollback_quietly();
    return Error(ErrorCode::kLockTimeout,
                 "the migration lease was lost before repeatable " + migration.revision.id +
                     "; another runner may have taken over. Nothing half done: run again");
  } catch (const ForeignKeyViolation& violation) {
    connection_->rollback_quietly();
    return failed(migration, step, nullptr,
                  SqliteError(SQLITE_CONSTRAINT_FOREIGNKEY, "FOREIGN KEY constraint failed: " + violation.what),
                  started_at, std::nullopt);
  }
}

Status SqliteDatabase::write_stamp(const std::vector<std::string>& removed,
                                   const std::vector<std::string>& added,
                                   const std::vector<HistoryRecord>& history) {
  try {
    begin_write();
    if (!removed.empty()) {
      int64_t deleted = connection_->exec(dialect_.delete_versions(tables_, removed));
      if (deleted != static_cast<int64_t>(removed.size())) {
        std::string expected;
        for (const std::string& row : removed) expected += (expected.empty() ? "" : ", ") + row;
        throw VersionRowsMoved{expected, std::to_string(deleted)};
      }
    }
    if (!added.empty()) connection_->exec(dialect_.insert_versions(tables_, added));
    for (const HistoryRecord& record : history) {
      connection_->exec(dialect_.insert_history(tables_, record));
    }
    connection_->exec("UPDATE " + tables_.history() + " SET blocking = 0 WHERE blocking");
    connection_->exec("COMMIT");
    return {};
  } catch (const VersionRowsMoved& moved) {
    connection_->rollback_quietly();
    return rows_moved(moved);
  } catch (const LeaseLost&) {
    connection_->rollback_quietly();
    return Error(ErrorCode::kLockTimeout,
                 "the migration lease was lost before the stamp; nothing written: run again");
  }
}

void SqliteDatabase::record(const HistoryRecord& record) {
  connection_->rollback_quietly();
  connection_->exec("BEGIN IMMEDIATE");
  try {
    connection_->exec(dialect_.insert_history(tables_, record));
    connection_->exec("COMMIT");
  } catch (...) {
    connection_->rollback_quietly();
    throw;
  }
}

int SqliteDatabase::clear_blocking_failures() {
  return static_cast<int>(
      connection_->exec("UPDATE " + tables_.history() + " SET blocking = 0 WHERE blocking"));
}

SqliteDatabase* as_sqlite(engine::Database& database) {
  return dynamic_cast<SqliteDatabase*>(&database);
}

Result<std::unique_ptr<engine::Database>> open_database(const engine::DatabaseSettings& settings,
                                                        Clock& clock) {
  Result<std::unique_ptr<SqliteDatabase>> opened = SqliteDatabase::open(settings, clock);
  if (!opened) return opened.error();
  return std::unique_ptr<engine::Database>(std::move(opened).value());
}

}  // namespace schemagate::sqlite
