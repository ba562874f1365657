#include "commands/database_session.h"

#include <unistd.h>

#include <cstdlib>
#include <random>

#include "engine/database_url.h"
#include "schemagate/common/logging.h"

namespace schemagate::commands {
namespace {

std::chrono::milliseconds seconds(double value) {
  return std::chrono::milliseconds(static_cast<int64_t>(value * 1000));
}

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

/// The pod name in Kubernetes (HOSTNAME), else the host name.
std::string host_identity() {
  if (auto pod = env("POD_NAME")) return *pod;
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0 && name[0]) return name;
  return env("HOSTNAME").value_or("unknown-host");
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

Result<DatabaseSettings> database_settings(const cli::Context& context, bool need_url) {
  const cli::Invocation& invocation = context.invocation();
  Result<config::Config> config = context.settings();
  if (!config) return config.error();

  DatabaseSettings settings;
  engine::UrlSources sources;
  if (invocation.has("database-url")) sources.option = invocation.get<std::string>("database-url");
  sources.environment = env("DATABASE_URL");
  if (invocation.has("database-url-file")) {
    sources.file = invocation.get<std::string>("database-url-file");
  }
  Result<std::string> url = engine::resolve_database_url(sources);
  if (!url && need_url) return url.error();
  if (url) settings.url = *url;

  settings.tables.schema = config->version_schema;
  settings.tables.version_table = config->version_table;
  settings.tables.history_table = config->history_table;
  settings.lock_mode = invocation.has("lock-mode") ? invocation.get<std::string>("lock-mode")
                                                   : config->lock_mode;
  if (settings.lock_mode != "advisory" && settings.lock_mode != "table") {
    return Error(ErrorCode::kInvalid, "--lock-mode must be 'advisory' or 'table', not '" +
                                          settings.lock_mode + "'");
  }
  settings.lock_key = config->lock_key.value_or(
      engine::derive_lock_key(config->version_schema, config->version_table));
  settings.lock_timeout = seconds(invocation.has("lock-timeout")
                                      ? invocation.get<double>("lock-timeout")
                                      : config->lock_timeout_seconds);
  if (invocation.has("lock-lease")) settings.lease = seconds(invocation.get<double>("lock-lease"));
  settings.wait_for_db = seconds(invocation.has("wait-for-db")
                                     ? invocation.get<double>("wait-for-db")
                                     : config->wait_for_db_seconds);
  settings.executor.statement_lock_timeout =
      seconds(invocation.has("statement-lock-timeout")
                  ? invocation.get<double>("statement-lock-timeout")
                  : config->statement_lock_timeout_seconds);
  settings.executor.lock_retries = invocation.has("lock-retries")
                                       ? invocation.get<int>("lock-retries")
                                       : config->lock_retries;
  settings.applied_by = host_identity();
  settings.executor.applied_by = settings.applied_by;
  if (invocation.has("progress-interval")) {
    double interval = invocation.get<double>("progress-interval");
    if (!(interval >= 0)) {
      return Error(ErrorCode::kInvalid, "--progress-interval must be 0 (off) or more seconds");
    }
    settings.progress.interval = seconds(interval);
  }
  if (url) {
    // The watcher's own connection: named apart from the migration's, and
    // quick to give up, since the migration never waits for it.
    Result<engine::ConnectionString> parsed = engine::ConnectionString::parse(*url);
    if (parsed) {
      settings.progress.conninfo = parsed->conninfo(
          {{"application_name", "schemagate/" + settings.applied_by + "/progress"},
           {"connect_timeout", "3"}});
    }
  }
  return settings;
}

Result<std::unique_ptr<DatabaseSession>> DatabaseSession::open(const DatabaseSettings& settings,
                                                               bool take_lock) {
  std::unique_ptr<DatabaseSession> session(new DatabaseSession());
  std::mt19937_64 random(std::random_device{}());
  engine::ConnectOptions connect_options;
  connect_options.url = settings.url;
  connect_options.application_name = "schemagate/" + settings.applied_by;
  connect_options.wait_for_db = settings.wait_for_db;
  Result<std::unique_ptr<pqxx::connection>> connection =
      engine::connect(connect_options, session->clock_, random);
  if (!connection) return connection.error();
  session->connection_ = std::move(connection).value();
  session->backend_pid_ = session->connection_->backendpid();
  session->store_ = std::make_unique<engine::VersionStore>(*session->connection_, settings.tables);
  if (!take_lock) return session;

  engine::LockOptions lock_options;
  lock_options.key = settings.lock_key;
  lock_options.tables = settings.tables;
  lock_options.holder = settings.applied_by + "/" + std::to_string(getpid());
  lock_options.lease = settings.lease;
  Status acquired = guarded(settings.url, [&]() -> Status {
    bool table = settings.lock_mode == "table";
    const bool pooled = engine::behind_pooler(*session->connection_);
    lock_options.listen = !pooled;
    if (!table && pooled) {
      log::warn("connected through a connection pooler: taking the table lease instead of a "
                "session advisory lock, which transaction pooling breaks (pass --lock-mode table "
                "to say so)",
                {{"server", engine::redact_url(settings.url)}});
      table = true;
    }
    if (table) {
      Result<engine::ConnectionString> url = engine::ConnectionString::parse(settings.url);
      if (!url) return url.error();
      session->lock_ = engine::make_lease_lock(
          *session->connection_,
          url->conninfo({{"application_name", connect_options.application_name}}), lock_options,
          session->clock_);
    } else {
      session->lock_ =
          engine::make_advisory_lock(*session->connection_, lock_options, session->clock_);
    }
    return session->lock_->acquire(settings.lock_timeout);
  }, session->backend_pid_);
  if (!acquired) return acquired.error();
  return session;
}

Status guarded(const std::string& url, const std::function<Status()>& work, int backend_pid) {
  try {
    return work();
  } catch (const pqxx::broken_connection& e) {
    std::string why = backend_pid > 0 ? engine::explain_lost_connection(url, backend_pid)
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

}  // namespace schemagate::commands
