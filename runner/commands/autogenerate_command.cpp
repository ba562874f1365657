#include <filesystem>

#include "commands/commands.h"
#include "commands/dev_server.h"
#include "schemagate/common/logging.h"
#include "script/revision_writer.h"

namespace schemagate::commands {
namespace fs = std::filesystem;

namespace {

std::string new_id(cli::Context& context, const script::ScriptDirectory& scripts) {
  std::string id = script::new_revision_id(context.random());
  while (scripts.map().find(id)) id = script::new_revision_id(context.random());
  return id;
}

Status write(cli::Context& context, const script::ScriptDirectory& scripts,
             script::Migration& migration) {
  migration.revision.id = new_id(context, scripts);
  Result<fs::path> path = script::write_new_migration(scripts.versions_dir(), migration);
  if (!path) return path.error();
  log::info("created revision", {{"revision", migration.revision.id}, {"path", path->string()}});
  context.out() << path->string() << "\n";
  return {};
}

}  // namespace

Status autogenerate_revision(cli::Context& context) {
  const cli::Invocation& invocation = context.invocation();
  if (!invocation.has("message")) {
    return Error(ErrorCode::kInvalid, "'revision --autogenerate' needs -m MESSAGE describing the "
                                      "change");
  }
  for (const char* option : {"parents", "branch-label", "no-transaction"}) {
    if (invocation.has(option)) {
      return Error(ErrorCode::kInvalid, std::string("--") + option +
                                            " does not go with --autogenerate: the new revision "
                                            "follows the single head");
    }
  }
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  const script::RevisionMap& map = scripts->map();
  if (map.heads().size() > 1) {
    return Error(ErrorCode::kInvalid, "several heads (" + map.describe(map.heads()) +
                                          "); merge them first with `schemagate merge heads -m "
                                          "...`, then autogenerate");
  }
  Result<schema::DevServer> dev = dev_server(context);
  if (!dev) return dev.error();
  Result<std::vector<schema::SourceFile>> files = declared_sources(context);
  if (!files) return files.error();
  Result<schema::SchemaGap> gap = schema::gap_to_declared(*dev, *scripts, *files);
  if (!gap) return gap.error();
  if (gap->empty()) {
    context.out() << "no changes: the revisions already build the declared schema\n";
    log::info("nothing written");
    return {};
  }

  std::string message = invocation.get<std::string>("message");
  std::vector<std::string> parents = map.ids(map.heads());
  if (!gap->up.empty()) {
    script::Migration migration;
    migration.revision.message = message;
    migration.revision.parents = parents;
    migration.up.sql = schema::render(gap->up);
    migration.down = script::Body{schema::render(gap->down), 0};
    Status written = write(context, *scripts, migration);
    if (!written) return written;
    parents = {migration.revision.id};
  }
  if (!gap->concurrent.empty()) {
    script::Migration migration;
    migration.revision.message = message + " (indexes, concurrently)";
    migration.revision.parents = parents;
    migration.transactional = false;
    migration.up.sql = schema::render(gap->concurrent);
    migration.down = script::Body{schema::render(gap->concurrent_down), 0};
    Status written = write(context, *scripts, migration);
    if (!written) return written;
  }
  for (const std::string& warning : schema::warnings(gap->up)) {
    context.out() << "destructive: " << warning << "\n";
    log::warn("the new revision holds a destructive step; review it", {{"step", warning}});
  }
  return {};
}

}  // namespace schemagate::commands
