#include "commands/database_settings.h"

#include <unistd.h>

#include <cstdlib>

#include "engine/database_url.h"
#include "postgres/features.h"
#include "sqlite/sqlite_database.h"
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
  settings.engine = url ? (sqlite::is_sqlite_url(*url) ? "sqlite" : "postgresql") : config->engine;

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
    settings.progress_interval = seconds(interval);
  }
  return settings;
}

Result<std::unique_ptr<engine::Database>> open_database(const DatabaseSettings& settings,
                                                        Clock& clock) {
  if (settings.engine == "sqlite") return sqlite::open_database(settings, clock);
  return postgres::open_database(settings, clock);
}

const engine::SqlDialect& offline_dialect(const DatabaseSettings& settings) {
  static const sqlite::SqliteDialect sqlite_dialect;
  if (settings.engine == "sqlite") return sqlite_dialect;
  return postgres::sql_dialect();
}

}  // namespace schemagate::commands
