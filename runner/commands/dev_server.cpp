#include "commands/dev_server.h"

#include "commands/database_settings.h"
#include "sqlite/sqlite_url.h"

namespace schemagate::commands {

Result<schema::DevServer> dev_server(const cli::Context& context) {
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  Result<DatabaseSettings> settings = database_settings(context, false);
  if (!settings) return settings.error();
  schema::DevServer dev;
  dev.url = context.invocation().has("dev-url") ? context.invocation().get<std::string>("dev-url")
                                                : config->dev_url;
  if (dev.url.empty()) {
    return Error(ErrorCode::kInvalid,
                 "'" + context.invocation().command +
                     "' needs a dev server to create scratch databases on: pass --dev-url URL or "
                     "set dev_url in schemagate.yaml (never the production database)");
  }
  if (sqlite::is_sqlite_url(dev.url)) {
    return Error(ErrorCode::kInvalid,
                 "'" + context.invocation().command +
                     "' reads PostgreSQL's catalogs on a PostgreSQL dev server; a SQLite URL "
                     "does not serve here (on SQLite, `schemagate test` needs no dev server: "
                     "docs/sqlite.md)");
  }
  dev.wait_for_db = settings->wait_for_db;
  dev.tables = settings->tables;
  dev.executor = settings->executor;
  return dev;
}

Result<bool> has_declared_schema(const cli::Context& context) {
  if (context.invocation().has("schema")) return true;
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  return !config->schema.empty() || !config->schema_command.empty();
}

Result<std::vector<schema::SourceFile>> declared_sources(const cli::Context& context) {
  if (context.invocation().has("schema")) {
    return schema::load_declared_schema(context.invocation().get<std::string>("schema"), "");
  }
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  return schema::load_declared_schema(config->schema, config->schema_command);
}

}  // namespace schemagate::commands
