#include <sstream>

#include "engine/database_url.h"
#include "engine/migrator.h"
#include "postgres/catalog_reader.h"
#include "postgres/postgres_database.h"
#include "postgres/scratch_database.h"
#include "schema/rename.h"
#include "schema/schema_comparison.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/logging.h"

// The comparisons of schema/schema_comparison.h that run on scratch
// databases of the dev server.
namespace schemagate::schema {
namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

/// Runs `work` turning the server's exceptions into exit 3 without the
/// password (the dev server's own problems, not the user's SQL).
template <typename T, typename Work>
Result<T> on_dev_server(const DevServer& dev, Work work) {
  try {
    return work();
  } catch (const std::exception& e) {
    return Error(ErrorCode::kUnreachable,
                 "the dev server (" + engine::redact_url(dev.url) + ") failed: " +
                     first_line(engine::scrub_password(e.what(), dev.url)));
  }
}

Status replay(const DevServer& dev, ScratchDatabase& scratch,
              const script::ScriptDirectory& scripts) {
  log::info("replaying the revisions on a scratch database", {{"database", scratch.name()}});
  engine::DatabaseSettings settings;
  settings.url = dev.url;
  settings.tables = dev.tables;
  settings.executor = dev.executor;
  settings.applied_by = dev.executor.applied_by;
  std::unique_ptr<postgres::PostgresDatabase> database =
      postgres::PostgresDatabase::over(scratch.connection(), settings, Clock::real());
  engine::MigratorOptions options;
  options.applied_by = dev.executor.applied_by;
  engine::Migrator migrator(*database, scripts, options, Clock::real());
  std::ostringstream ignored;
  Result<script::Target> rows = migrator.upgrade("heads", ignored);
  if (!rows) return rows.error();
  return {};
}

}  // namespace

Result<Catalog> revisions_schema(const DevServer& dev, const script::ScriptDirectory& scripts) {
  Result<std::unique_ptr<ScratchDatabase>> scratch = ScratchDatabase::create(dev.url, dev.wait_for_db);
  if (!scratch) return scratch.error();
  return on_dev_server<Catalog>(dev, [&]() -> Result<Catalog> {
    Status replayed = replay(dev, **scratch, scripts);
    if (!replayed) return replayed.error();
    return read_catalog((*scratch)->connection(), dev.tables);
  });
}

Result<Catalog> declared_schema(const DevServer& dev, const std::vector<SourceFile>& files) {
  Result<std::unique_ptr<ScratchDatabase>> scratch = ScratchDatabase::create(dev.url, dev.wait_for_db);
  if (!scratch) return scratch.error();
  return on_dev_server<Catalog>(dev, [&]() -> Result<Catalog> {
    log::info("applying the declared schema to a scratch database",
              {{"database", (*scratch)->name()}});
    Status applied = apply_declared_schema((*scratch)->connection(), files);
    if (!applied) return applied.error();
    return read_catalog((*scratch)->connection(), dev.tables);
  });
}

Result<SchemaGap> gap_to_declared(const DevServer& dev, const script::ScriptDirectory& scripts,
                                  const std::vector<SourceFile>& files) {
  std::vector<Rename> declared_renames;
  for (const SourceFile& file : files) {
    Result<std::vector<Rename>> found = find_renames(file);
    if (!found) return found.error();
    declared_renames.insert(declared_renames.end(), found->begin(), found->end());
  }
  Result<Catalog> declared = declared_schema(dev, files);
  if (!declared) return declared.error();

  Result<std::unique_ptr<ScratchDatabase>> scratch = ScratchDatabase::create(dev.url, dev.wait_for_db);
  if (!scratch) return scratch.error();
  return on_dev_server<SchemaGap>(dev, [&]() -> Result<SchemaGap> {
    Status replayed = replay(dev, **scratch, scripts);
    if (!replayed) return replayed.error();
    pqxx::connection& connection = (*scratch)->connection();
    Catalog head = read_catalog(connection, dev.tables);

    // The renames run on the replayed schema, and PostgreSQL rewrites every
    // definition that names the renamed objects, so diff() sees them as kept.
    std::vector<Rename> renames = applicable_renames(head, *declared, declared_renames);
    SchemaGap gap;
    gap.up = rename_statements(head, renames);
    gap.down = reverse_rename_statements(head, renames);
    Catalog renamed = head;
    if (!renames.empty()) {
      pqxx::work tx(connection);
      for (const Statement& statement : gap.up) tx.exec(statement.sql);
      tx.commit();
      renamed = read_catalog(connection, dev.tables);
    }
    SchemaGap between = gap_between(renamed, *declared);
    gap.up.insert(gap.up.end(), between.up.begin(), between.up.end());
    gap.down.insert(gap.down.begin(), between.down.begin(), between.down.end());
    gap.concurrent = between.concurrent;
    gap.concurrent_down = between.concurrent_down;
    return gap;
  });
}

}  // namespace schemagate::schema
