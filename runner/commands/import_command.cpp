#include <filesystem>
#include <optional>

#include "commands/commands.h"
#include "commands/database_session.h"
#include "engine/migrator.h"
#include "importers/applied_versions.h"
#include "importers/chain_writer.h"
#include "schemagate/common/logging.h"

namespace schemagate::commands {
namespace fs = std::filesystem;

namespace {

/// Stamps the revision matching what `format`'s own table says is applied,
/// under the migration lock, running nothing.
Status adopt_database(cli::Context& context, const DatabaseSettings& settings,
                      importers::Format format, const fs::path& into,
                      const std::vector<importers::ImportedRevision>& chain) {
  Result<script::ScriptDirectory> scripts = script::ScriptDirectory::load(into);
  if (!scripts) return scripts.error();
  Result<std::unique_ptr<DatabaseSession>> session = DatabaseSession::open(settings, true);
  if (!session) return session.error();
  return guarded(settings.url, [&]() -> Status {
    Result<importers::AppliedVersions> applied =
        importers::read_applied_versions((*session)->connection(), format);
    if (!applied) return applied.error();
    Result<std::optional<size_t>> position = importers::adopted_position(chain, *applied);
    if (!position) return position.error();
    if (!*position) {
      log::info("nothing is applied according to the other tool; nothing to stamp",
                {{"table", applied->table}});
      return {};
    }
    const importers::ImportedRevision& revision = chain[**position];
    engine::MigratorOptions options;
    options.executor = settings.executor;
    engine::Migrator migrator((*session)->connection(), (*session)->store(), *scripts, options,
                              (*session)->clock());
    Status stamped = migrator.stamp(revision.migration.revision.id, context.out());
    if (!stamped) return stamped;
    log::info("adopted the database", {{"table", applied->table},
                                       {"version", revision.version.to_string()},
                                       {"revision", revision.migration.revision.id}});
    return {};
  });
}

}  // namespace

Status import_history(cli::Context& context) {
  const cli::Invocation& invocation = context.invocation();
  std::string format_text = invocation.has("from") ? invocation.get<std::string>("from") : "";
  std::optional<importers::Format> format = importers::parse_format(format_text);
  if (!format) {
    return Error(ErrorCode::kInvalid, "import needs --from golang-migrate, flyway, dbmate or "
                                      "diesel" +
                                          (format_text.empty() ? std::string()
                                                               : ", not '" + format_text + "'"));
  }
  fs::path into;
  if (invocation.has("into")) {
    into = invocation.get<std::string>("into");
  } else {
    Result<config::Config> settings = context.settings();
    if (!settings) return settings.error();
    into = settings->directory;
  }

  // With --adopt-database, a missing URL is reported before any file is written.
  std::optional<DatabaseSettings> database;
  if (invocation.has("adopt-database")) {
    Result<DatabaseSettings> settings = database_settings(context);
    if (!settings) return settings.error();
    database = std::move(settings).value();
  }

  Result<importers::SourceHistory> history =
      importers::read_history(*format, invocation.arguments.front());
  if (!history) return history.error();
  Result<std::vector<importers::ImportedRevision>> chain = importers::build_chain(*history);
  if (!chain) return chain.error();
  Result<importers::WriteReport> report = importers::write_chain(into / "versions", *format, *chain);
  if (!report) return report.error();
  for (const fs::path& path : report->written) context.out() << path.string() << "\n";
  log::info("imported", {{"format", importers::format_name(*format)},
                         {"migrations", int64_t(chain->size())},
                         {"written", int64_t(report->written.size())},
                         {"unchanged", int64_t(report->unchanged)}});
  if (!database) return {};
  return adopt_database(context, *database, *format, into, *chain);
}

}  // namespace schemagate::commands
