#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "commands/commands.h"
#include "commands/database_settings.h"
#include "engine/migrator.h"
#include "engine/bookkeeping_check.h"
#include "importers/alembic_conversion.h"
#include "importers/chain_writer.h"
#include "importers/repeatable_import.h"
#include "postgres/features.h"
#include "schemagate/common/logging.h"
#include "sqlite/applied_versions.h"
#include "sqlite/sqlite_database.h"

namespace schemagate::commands {
namespace fs = std::filesystem;

namespace {

engine::MigratorOptions migrator_options(const DatabaseSettings& settings) {
  engine::MigratorOptions options;
  options.applied_by = settings.applied_by;
  options.lock_timeout = settings.lock_timeout;
  return options;
}

/// Records as applied the repeatables the other tool applied from the files
/// as they are now (importers::adopted_repeatables), so that the next upgrade
/// does not run them again; the others are left to it.
void adopt_repeatables(engine::Database& database, const DatabaseSettings& settings,
                       const importers::AppliedVersions& applied,
                       const std::vector<importers::ImportedRepeatable>& repeatables) {
  if (repeatables.empty()) return;
  std::vector<const importers::ImportedRepeatable*> adopted =
      importers::adopted_repeatables(repeatables, applied);
  database.ensure_tables();
  const std::map<std::string, std::string> recorded =
      database.read_state().repeatable_checksums;
  for (const importers::ImportedRepeatable& repeatable : repeatables) {
    const script::Migration& migration = repeatable.migration;
    bool applied_as_is =
        std::find(adopted.begin(), adopted.end(), &repeatable) != adopted.end();
    if (!applied_as_is) {
      log::info("repeatable migration not applied as it is now by the other tool: the next "
                "upgrade applies it",
                {{"file", repeatable.source}, {"revision", migration.revision.id}});
      continue;
    }
    auto it = recorded.find(migration.revision.id);
    if (it != recorded.end() && it->second == migration.checksum()) continue;
    database.record(engine::succeeded_record(migration.revision.id, "stamp",
                                                    migration.checksum(),
                                                    settings.executor.applied_by));
    log::info("adopted a repeatable migration as applied",
              {{"file", repeatable.source}, {"revision", migration.revision.id}});
  }
}

/// Stamps the revision matching what `format`'s own table says is applied,
/// under the migration lock, running nothing.
Status adopt_database(cli::Context& context, const DatabaseSettings& settings,
                      importers::Format format, const fs::path& into,
                      const std::vector<importers::ImportedRevision>& chain,
                      const std::vector<importers::ImportedRepeatable>& repeatables) {
  Result<script::ScriptDirectory> scripts = script::ScriptDirectory::load(into);
  if (!scripts) return scripts.error();
  Result<std::unique_ptr<engine::Database>> database = open_database(settings);
  if (!database) return database.error();
  return (*database)->guard([&]() -> Status {
    engine::Migrator migrator(**database, *scripts, migrator_options(settings), Clock::real());
    Status locked = migrator.lock();
    if (!locked) return locked;
    sqlite::SqliteDatabase* file = sqlite::as_sqlite(**database);
    Result<importers::AppliedVersions> applied =
        file ? sqlite::read_applied_versions(file->connection(), format)
             : postgres::applied_versions(**database, format);
    if (!applied) return applied.error();
    Result<std::optional<size_t>> position = importers::adopted_position(chain, *applied);
    if (!position) return position.error();
    std::vector<std::string> code = importers::code_versions_without_files(chain, *applied);
    if (!code.empty()) {
      std::string versions;
      for (const std::string& version : code) versions += (versions.empty() ? "" : ", ") + version;
      log::warn("Java (code) migrations are recorded as applied but have no SQL file: adopted as "
                "applied, without a revision of their own; a database built from the imported "
                "files lacks what they did, so write it into a revision if new databases need it",
                {{"table", applied->table}, {"versions", versions}});
    }
    adopt_repeatables(**database, settings, *applied, repeatables);
    if (!*position) {
      log::info("nothing is applied according to the other tool; nothing to stamp",
                {{"table", applied->table}});
      return {};
    }
    const importers::ImportedRevision& revision = chain[**position];
    Result<script::Target> stamped = migrator.stamp(revision.migration.revision.id, context.out());
    if (!stamped) return stamped.error();
    log::info("adopted the database", {{"table", applied->table},
                                       {"version", revision.version.to_string()},
                                       {"revision", revision.migration.revision.id}});
    return {};
  });
}

/// Stamps the revisions Alembic's own alembic_version names (one row per
/// head), in one transaction, running nothing.
Status adopt_alembic_database(cli::Context& context, const DatabaseSettings& settings,
                              const fs::path& into) {
  Result<script::ScriptDirectory> scripts = script::ScriptDirectory::load(into);
  if (!scripts) return scripts.error();
  Result<std::unique_ptr<engine::Database>> database = open_database(settings);
  if (!database) return database.error();
  return (*database)->guard([&]() -> Status {
    engine::Migrator migrator(**database, *scripts, migrator_options(settings), Clock::real());
    Status locked = migrator.lock();
    if (!locked) return locked;
    if (engine::shares_alembic_version(settings.tables)) {
      log::info("the version table is alembic_version itself: schemagate reads Alembic's rows "
                "as they are, nothing to stamp",
                {{"table", settings.tables.version()}});
      return {};
    }
    sqlite::SqliteDatabase* file = sqlite::as_sqlite(**database);
    Result<std::vector<std::string>> rows = file
                                                ? sqlite::alembic_version_rows(file->connection())
                                                : postgres::alembic_version_rows(**database);
    if (!rows) return rows.error();
    script::Target heads;
    const script::RevisionMap& map = scripts->map();
    for (const std::string& id : *rows) {
      std::optional<script::RevisionMap::Index> index = map.find(id);
      if (!index) {
        return Error(ErrorCode::kStateRefused,
                     "alembic_version: revision " + id + " is recorded as applied but " +
                         scripts->versions_dir().string() +
                         " has no such revision; import the project this database was migrated "
                         "from");
      }
      heads.push_back(*index);
    }
    if (heads.empty()) {
      log::info("nothing is applied according to Alembic; nothing to stamp",
                {{"table", "alembic_version"}});
      return {};
    }
    Result<script::Target> stamped = migrator.stamp_revisions(heads, context.out());
    if (!stamped) return stamped.error();
    log::info("adopted the database", {{"table", "alembic_version"},
                                       {"revisions", map.describe(heads)}});
    return {};
  });
}

/// `import --from alembic`: Alembic's ids, graph and offline SQL.
Status import_alembic(cli::Context& context, const fs::path& source, const fs::path& into,
                      const std::optional<DatabaseSettings>& database) {
  Result<importers::AlembicProject> project = importers::locate_alembic_project(source);
  if (!project) return project.error();
  Result<std::vector<importers::AlembicRevision>> history =
      importers::read_alembic_history(*project);
  if (!history) return history.error();
  Result<std::vector<importers::ConvertedRevision>> converted =
      importers::convert_alembic(*history);
  if (!converted) return converted.error();

  const fs::path versions = into / "versions";
  std::vector<importers::PlannedFile> files;
  std::vector<std::string> unfinished;
  for (const importers::ConvertedRevision& revision : *converted) {
    fs::path path = importers::path_for(versions, revision.migration);
    if (!revision.needs_hand.empty()) {
      std::error_code ec;
      // Finished by hand after an earlier import: the person's text stays.
      if (fs::exists(path, ec)) continue;
      unfinished.push_back(path.string() + " (" + revision.needs_hand + ")");
    }
    files.push_back({path, importers::render_converted(revision)});
  }
  Result<importers::WriteReport> report = importers::write_files(versions, std::move(files));
  if (!report) return report.error();
  for (const fs::path& path : report->written) context.out() << path.string() << "\n";
  log::info("imported", {{"format", "alembic"},
                         {"revisions", int64_t(converted->size())},
                         {"written", int64_t(report->written.size())},
                         {"unchanged", int64_t(report->unchanged)}});
  if (database) {
    Status adopted = adopt_alembic_database(context, *database, into);
    if (!adopted) return adopted;
  }
  if (unfinished.empty()) return {};
  std::string list;
  for (const std::string& file : unfinished) list += "\n  " + file;
  return Error(ErrorCode::kMigrationFailed,
               std::to_string(unfinished.size()) +
                   " revision(s) could not be rendered offline and need their SQL written by hand "
                   "(each file says where; a run that reaches one stops there):" + list);
}

}  // namespace

Status import_history(cli::Context& context) {
  const cli::Invocation& invocation = context.invocation();
  std::string format_text = invocation.has("from") ? invocation.get<std::string>("from") : "";
  std::optional<importers::Format> format = importers::parse_format(format_text);
  if (!format && format_text != "alembic") {
    return Error(ErrorCode::kInvalid, "import needs --from alembic, golang-migrate, flyway, dbmate "
                                      "or diesel" +
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

  if (!format) return import_alembic(context, invocation.arguments.front(), into, database);

  Result<importers::SourceHistory> history =
      importers::read_history(*format, invocation.arguments.front());
  if (!history) return history.error();
  Result<std::vector<importers::ImportedRevision>> chain = importers::build_chain(*history);
  if (!chain) return chain.error();
  Result<std::vector<importers::ImportedRepeatable>> repeatables =
      importers::build_repeatables(*history);
  if (!repeatables) return repeatables.error();
  const fs::path versions = into / "versions";
  std::vector<importers::PlannedFile> files;
  for (const importers::ImportedRevision& revision : *chain) {
    files.push_back({importers::path_for(versions, revision.migration),
                     importers::render_imported(*format, revision)});
  }
  for (const importers::ImportedRepeatable& repeatable : *repeatables) {
    files.push_back({importers::path_for(versions, repeatable.migration),
                     importers::render_imported(*format, repeatable)});
  }
  Result<importers::WriteReport> report = importers::write_files(versions, std::move(files));
  if (!report) return report.error();
  for (const fs::path& path : report->written) context.out() << path.string() << "\n";
  log::info("imported", {{"format", importers::format_name(*format)},
                         {"migrations", int64_t(chain->size())},
                         {"repeatables", int64_t(repeatables->size())},
                         {"written", int64_t(report->written.size())},
                         {"unchanged", int64_t(report->unchanged)}});
  if (!database) return {};
  return adopt_database(context, *database, *format, into, *chain, *repeatables);
}

}  // namespace schemagate::commands
