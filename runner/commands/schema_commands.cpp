#include "commands/commands.h"
#include "commands/database_settings.h"
#include "commands/dev_server.h"
#include "postgres/features.h"
#include "schema/fingerprint.h"
#include "postgres/round_trip.h"
#include "schemagate/common/logging.h"
#include "sqlite/round_trip.h"
#include "sqlite/sqlite_url.h"

namespace schemagate::commands {
namespace {

/// The revisions' schema against a live database: what drifted there.
Status report_drift(cli::Context& context, const schema::DevServer& dev,
                    const script::ScriptDirectory& scripts) {
  Result<DatabaseSettings> settings = database_settings(context);
  if (!settings) return settings.error();
  Result<std::unique_ptr<engine::Database>> database = open_database(*settings);
  if (!database) return database.error();
  schema::Catalog live;
  Status read = (*database)->guard([&]() -> Status {
    Result<schema::Catalog> catalog = postgres::read_catalog(**database);
    if (!catalog) return catalog.error();
    live = std::move(catalog).value();
    return {};
  });
  if (!read) return read;
  Result<schema::Catalog> head = schema::revisions_schema(dev, scripts);
  if (!head) return head.error();
  std::vector<schema::Difference> differences = schema::compare(*head, live);
  if (differences.empty()) {
    log::info("no drift: the database has the revisions' schema");
    return {};
  }
  schema::Changes back = schema::diff(live, *head, schema::DiffOptions{false});
  context.out() << "-- the database drifted from the revisions' schema:\n";
  for (const schema::Difference& difference : differences) {
    context.out() << "--   " << schema::describe(difference) << "\n";
  }
  context.out() << "-- what would bring it back:\n" << schema::render(back.statements);
  return Error(ErrorCode::kMigrationFailed,
               std::to_string(differences.size()) +
                   " object(s) of the database differ from the revisions' schema (drift); "
                   "the SQL that brings it back is on stdout");
}

/// Exit 1 when the declared schema differs from the revisions' schema; the
/// SQL that closes the gap goes to `out` when given.
Status compare_declared(cli::Context& context, const schema::DevServer& dev,
                        const script::ScriptDirectory& scripts, bool print) {
  Result<std::vector<schema::SourceFile>> files = declared_sources(context);
  if (!files) return files.error();
  Result<schema::SchemaGap> gap = schema::gap_to_declared(dev, scripts, *files);
  if (!gap) return gap.error();
  if (gap->empty()) {
    log::info("no difference: the revisions build the declared schema");
    return {};
  }
  if (print) {
    context.out() << schema::render(gap->up);
    if (!gap->concurrent.empty()) {
      context.out() << "-- outside a transaction, in a revision of its own:\n"
                    << schema::render(gap->concurrent);
    }
  }
  for (const std::string& warning : schema::warnings(gap->up)) {
    log::warn("destructive step", {{"step", warning}});
  }
  return Error(ErrorCode::kMigrationFailed,
               "the declared schema differs from the revisions' schema (" +
                   std::to_string(gap->up.size() + gap->concurrent.size()) +
                   " statement(s)); `schemagate revision --autogenerate -m MESSAGE` writes them "
                   "as a revision");
}

}  // namespace

Status test_round_trip(cli::Context& context) {
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  Result<DatabaseSettings> settings = database_settings(context, false);
  if (!settings) return settings.error();
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  const bool sqlite_dev = sqlite::is_sqlite_url(context.invocation().has("dev-url")
                                                    ? context.invocation().get<std::string>("dev-url")
                                                    : config->dev_url);
  if (settings->engine == "sqlite" || sqlite_dev) {
    // A fresh database in memory is SQLite's scratch database: no server.
    return sqlite::test_round_trip(*settings, *scripts, context.out());
  }
  Result<schema::DevServer> dev = dev_server(context);
  if (!dev) return dev.error();
  return schema::test_round_trip(*dev, *scripts, context.out());
}

Status diff_schema(cli::Context& context) {
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  Result<schema::DevServer> dev = dev_server(context);
  if (!dev) return dev.error();
  if (context.invocation().has("database-url")) return report_drift(context, *dev, *scripts);
  return compare_declared(context, *dev, *scripts, true);
}

Status check_with_schema(cli::Context& context) {
  Status database = check(context);
  if (!database && database.error().code() != ErrorCode::kMigrationFailed) return database;
  Result<bool> declared = has_declared_schema(context);
  if (!declared) return declared.error();
  if (!*declared) return database;
  Result<schema::DevServer> dev = dev_server(context);
  if (!dev) {
    log::warn("the declared schema is not compared: no dev server (--dev-url or dev_url)");
    return database;
  }
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  Status schema = compare_declared(context, *dev, *scripts, false);
  if (!schema) {
    context.out() << "schema differs\n";
    if (!database) log::error(database.error().message());
    return schema;
  }
  return database;
}

}  // namespace schemagate::commands
