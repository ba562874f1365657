#include "postgres/postgres_database.h"

#include <unistd.h>

#include "engine/database_url.h"
#include "postgres/bookkeeping_reads.h"
#include "postgres/connector.h"
#include "postgres/locks.h"
#include "postgres/repeatables.h"
#include "schemagate/common/logging.h"

namespace schemagate::postgres {
namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string application_name(const engine::DatabaseSettings& settings) {
  return "schemagate/" + settings.applied_by;
}

}  // namespace

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::open(
    const engine::DatabaseSettings& settings, Clock& clock, const StopSignal* stop) {
  std::unique_ptr<PostgresDatabase> database(new PostgresDatabase(settings, clock));
  ConnectOptions connect_options;
  connect_options.stop = stop;
  connect_options.send_session_defaults = false;
  connect_options.url = settings.url;
  connect_options.application_name = application_name(settings);
  connect_options.wait_for_db = settings.wait_for_db;
  Result<std::unique_ptr<pqxx::connection>> connection =
      connect(connect_options, clock, database->random_);
  if (!connection) return connection.error();
  database->owned_ = std::move(connection).value();
  database->connection_ = database->owned_.get();
  database->owed_settings_ = session_defaults_sql(*database->connection_);
  database->backend_pid_ = database->connection_->backendpid();
  database->store_ = std::make_unique<VersionStore>(*database->connection_, settings.tables);
  return database;
}

std::unique_ptr<PostgresDatabase> PostgresDatabase::over(pqxx::connection& connection,
                                                         const engine::DatabaseSettings& settings,
                                                         Clock& clock) {
  std::unique_ptr<PostgresDatabase> database(new PostgresDatabase(settings, clock));
  database->connection_ = &connection;
  database->store_ = std::make_unique<VersionStore>(connection, settings.tables);
  return database;
}

Status PostgresDatabase::guard(const std::function<Status()>& work) {
  const std::string& url = settings_.url;
  try {
    return work();
  } catch (const pqxx::broken_connection& e) {
    std::string why = backend_pid_ > 0 ? explain_lost_connection(url, backend_pid_)
                                       : first_line(engine::scrub_password(e.what(), url));
    return Error(ErrorCode::kUnreachable,
                 "lost the database connection: " + why +
                     ". A transaction in flight was rolled back by the server, and a "
                     "non-transactional migration in flight is reported on the next run");
  } catch (const pqxx::sql_error& e) {
    std::string text = first_line(engine::scrub_password(e.what(), url));
    const std::string& state = e.sqlstate();
    if (state.rfind("40", 0) == 0) {
      return Error(ErrorCode::kMigrationFailed,
                   "schemagate's own query was rolled back (SQLSTATE " + state + "): " + text +
                       "; another session held locks it needed. Nothing was committed by it: "
                       "run again");
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) {
      return Error(ErrorCode::kUnreachable,
                   "the server ended the session (SQLSTATE " + state + "): " + text +
                       "; a transaction in flight was rolled back. Run again once it is back");
    }
    return Error(ErrorCode::kStateRefused,
                 "the database refused a schemagate query (SQLSTATE " + state + "): " + text +
                     "; check the role's privileges on the version table's schema");
  } catch (const std::exception& e) {
    return Error(ErrorCode::kUnreachable,
                 "database error: " + engine::scrub_password(e.what(), url));
  }
}

Result<std::unique_ptr<engine::MigrationLock>> PostgresDatabase::lock(
    std::chrono::milliseconds timeout) {
  LockOptions options;
  options.key = settings_.lock_key;
  options.tables = settings_.tables;
  options.holder = settings_.applied_by + "/" + std::to_string(getpid());
  options.lease = settings_.lease;
  const bool pooled = this->pooled();
  options.listen = !pooled;
  const bool table = settings_.lock_mode == "table" || pooled;
  std::unique_ptr<engine::MigrationLock> lock;
  if (table) {
    Result<engine::ConnectionString> url = engine::ConnectionString::parse(settings_.url);
    if (!url) return url.error();
    lock = make_lease_lock(session(),
                           url->conninfo({{"application_name", application_name(settings_)}}),
                           options, clock_);
  } else {
    lock = make_advisory_lock(session(), options, clock_);
  }
  Status acquired = lock->acquire(timeout);
  if (!acquired) return acquired.error();
  return lock;
}

bool PostgresDatabase::pooled() {
  if (!pooled_) {
    const int server_pid = store_->server_pid();
    pooled_ = server_pid ? server_pid != connection_->backendpid() : behind_pooler(session());
    if (*pooled_ && settings_.lock_mode != "table") {
      log::warn("connected through a connection pooler: taking the table lease instead of a "
                "session advisory lock, which transaction pooling breaks (pass --lock-mode "
                "table to say so)",
                {{"server", engine::redact_url(settings_.url)}});
    }
  }
  return *pooled_;
}

engine::StoredState PostgresDatabase::read_state() {
  engine::StoredState state = store_->read_state(owed_settings_);
  owed_settings_.clear();
  // Said at the first read, whether or not this run goes on to take the
  // lock: a runner that finds nothing to do is behind the pooler too.
  pooled();
  return state;
}

std::map<std::string, std::string> PostgresDatabase::recorded_checksums() {
  session();
  return store_->recorded_checksums();
}

std::vector<engine::ForeignTable> PostgresDatabase::foreign_tables() {
  pqxx::nontransaction query(session());
  return read_foreign_tables(query, store_->tables());
}

std::vector<size_t> PostgresDatabase::existing_objects(
    const std::vector<sql::CreatedObject>& objects) {
  pqxx::nontransaction query(session());
  return read_existing_objects(query, store_->tables(), objects);
}

void PostgresDatabase::ensure_tables() {
  session();
  store_->ensure_tables();
}

Status PostgresDatabase::apply(const script::RevisionMap& map, const script::Migration& migration,
                               const script::Step& step, bool durable) {
  if (!watcher_) {
    ProgressOptions progress;
    progress.interval = settings_.progress_interval;
    progress.backend_pid = backend_pid_;
    // The watcher's own connection: named apart from the migration's, and
    // quick to give up, since the migration never waits for it.
    Result<engine::ConnectionString> parsed = engine::ConnectionString::parse(settings_.url);
    if (parsed) {
      progress.conninfo = parsed->conninfo(
          {{"application_name", application_name(settings_) + "/progress"},
           {"connect_timeout", "3"}});
    }
    watcher_ = std::make_unique<ProgressWatcher>(progress);
  }
  pqxx::connection& connection = session();
  if (!executor_) {
    executor_ = std::make_unique<Executor>(connection, *store_, settings_.executor, gate_, clock_,
                                           watcher_.get());
  }
  return executor_->run(map, migration, step, durable);
}

Status PostgresDatabase::apply_repeatable(const script::Migration& migration) {
  if (!repeat_direction_allowed_) {
    pqxx::work widen(session());
    widen.exec(allow_repeat_direction_sql(store_->tables()));
    widen.commit();
    repeat_direction_allowed_ = true;
  }
  Status status =
      postgres::apply_repeatable(session(), *store_, settings_.executor, clock_, random_,
                                 migration);
  reset_session();
  return status;
}

Status PostgresDatabase::write_stamp(const std::vector<std::string>& removed,
                                     const std::vector<std::string>& added,
                                     const std::vector<engine::HistoryRecord>& history) {
  pqxx::work tx(session());
  store_->write_versions(tx, removed, added);
  for (const engine::HistoryRecord& record : history) {
    tx.exec(insert_history_sql(store_->tables(), record));
  }
  store_->clear_blocking_failures(tx);
  tx.commit();
  return {};
}

void PostgresDatabase::record(const engine::HistoryRecord& record) {
  session();
  store_->record(record);
}

int PostgresDatabase::clear_blocking_failures() {
  pqxx::work tx(session());
  int cleared = store_->clear_blocking_failures(tx);
  tx.commit();
  return cleared;
}

pqxx::connection& PostgresDatabase::session() {
  if (!owed_settings_.empty()) {
    pqxx::nontransaction settings(*connection_);
    settings.exec(owed_settings_);
    owed_settings_.clear();
  }
  return *connection_;
}

void PostgresDatabase::reset_session() {
  try {
    pqxx::nontransaction reset(*connection_);
    reset.exec("RESET ALL; " + session_defaults_sql(*connection_));
  } catch (const std::exception& e) {
    log::debug("RESET ALL failed", {{"error", e.what()}});
  }
}

PostgresDatabase* as_postgres(engine::Database& database) {
  return dynamic_cast<PostgresDatabase*>(&database);
}

}  // namespace schemagate::postgres
