#include <filesystem>
#include <optional>

#include "commands/commands.h"
#include "commands/database_session.h"
#include "engine/migrator.h"
#include "engine/bookkeeping_check.h"
#include "importers/alembic_conversion.h"
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
    std::vector<std::string> code = importers::code_versions_without_files(chain, *applied);
    if (!code.empty()) {
      std::string versions;
      for (const std::string& version : code) versions += (versions.empty() ? "" : ", ") + version;
      log::warn("Java (code) migrations are recorded as applied but have no SQL file: adopted as "
                "applied, without a revision of their own; a database built from the imported "
                "files lacks what they did, so write it into a revision if new databases need it",
                {{"table", applied->table}, {"versions", versions}});
    }
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

/// Stamps the revisions Alembic's own alembic_version names (one row per
/// head), in one transaction, running nothing.
Status adopt_alembic_database(cli::Context& context, const DatabaseSettings& settings,
                              const fs::path& into) {
  Result<script::ScriptDirectory> scripts = script::ScriptDirectory::load(into);
  if (!scripts) return scripts.error();
  Result<std::unique_ptr<DatabaseSession>> session = DatabaseSession::open(settings, true);
  if (!session) return session.error();
  return guarded(settings.url, [&]() -> Status {
    if (engine::shares_alembic_version(settings.tables)) {
      log::info("the version table is alembic_version itself: schemagate reads Alembic's rows "
                "as they are, nothing to stamp",
                {{"table", settings.tables.version()}});
      return {};
    }
    std::vector<std::string> rows;
    {
      pqxx::nontransaction query((*session)->connection());
      if (!query.exec1("SELECT to_regclass('alembic_version') IS NOT NULL")[0].as<bool>()) {
        return Error(ErrorCode::kStateRefused,
                     "no alembic table alembic_version in this database (search_path: " +
                         query.exec1("SHOW search_path")[0].as<std::string>() +
                         "): nothing says what is applied; check the database URL");
      }
      for (const auto& row : query.exec("SELECT version_num::text FROM alembic_version")) {
        rows.push_back(row[0].as<std::string>());
      }
    }
    script::Target heads;
    const script::RevisionMap& map = scripts->map();
    for (const std::string& id : rows) {
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
    engine::MigratorOptions options;
    options.executor = settings.executor;
    engine::Migrator migrator((*session)->connection(), (*session)->store(), *scripts, options,
                              (*session)->clock());
    Result<engine::DatabaseState> state = migrator.read_state();
    if (!state) return state.error();
    Status stamped = migrator.stamp_revisions(*state, heads, context.out());
    if (!stamped) return stamped;
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
