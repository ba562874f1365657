#include "commands/commands.h"
#include "commands/database_session.h"
#include "schema/round_trip.h"
#include "schema/scratch_database.h"
#include "schemagate/common/logging.h"

namespace schemagate::commands {
namespace {

/// --dev-url, else `dev_url` of schemagate.yaml: the server scratch
/// databases are made on. Exit 2 when neither is set.
Result<std::string> dev_url(const cli::Context& context) {
  if (context.invocation().has("dev-url")) return context.invocation().get<std::string>("dev-url");
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  if (!config->dev_url.empty()) return config->dev_url;
  return Error(ErrorCode::kInvalid,
               "'" + context.invocation().command +
                   "' needs a dev server to create scratch databases on: pass --dev-url URL or "
                   "set dev_url in schemagate.yaml (never the production database)");
}

}  // namespace

Status test_round_trip(cli::Context& context) {
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  Result<DatabaseSettings> settings = database_settings(context, false);
  if (!settings) return settings.error();
  Result<std::string> url = dev_url(context);
  if (!url) return url.error();
  Result<std::unique_ptr<schema::ScratchDatabase>> scratch =
      schema::ScratchDatabase::create(*url, settings->wait_for_db);
  if (!scratch) return scratch.error();
  log::info("testing every revision's round trip", {{"database", (*scratch)->name()}});
  return guarded(*url, [&]() -> Status {
    pqxx::connection& connection = (*scratch)->connection();
    engine::VersionStore store(connection, settings->tables);
    return schema::round_trip(connection, store, *scripts, settings->tables, settings->executor,
                              context.out());
  });
}

}  // namespace schemagate::commands
