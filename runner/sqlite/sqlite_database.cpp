#include "sqlite/sqlite_database.h"

#include <sqlite3.h>
#include <unistd.h>

#include "engine/sql_text.h"
#include "schemagate/common/logging.h"
#include "sqlite/attempt_note.h"

namespace schemagate::sqlite {
namespace {

using engine::HistoryRecord;
using engine::quote_literal;

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
      clock_(clock) {}

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
  database->executor_ =
      std::make_unique<Executor>(*database->connection_, database->settings_, database->tables_,
                                 database->dialect_, clock, database->lease_);
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

Status SqliteDatabase::apply(const script::RevisionMap& map, const script::Migration& migration,
                             const script::Step& step, bool durable) {
  return executor_->apply(map, migration, step, durable);
}

Status SqliteDatabase::apply_repeatable(const script::Migration& migration) {
  return executor_->apply_repeatable(migration);
}

Status SqliteDatabase::write_stamp(const std::vector<std::string>& removed,
                                   const std::vector<std::string>& added,
                                   const std::vector<HistoryRecord>& history) {
  return executor_->write_stamp(removed, added, history);
}

void SqliteDatabase::record(const HistoryRecord& record) { executor_->record(record); }

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
