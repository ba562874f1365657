#include <algorithm>
#include <filesystem>
#include <fstream>

#include "commands/commands.h"
#include "schemagate/common/logging.h"
#include "script/revision_writer.h"
#include "script/target.h"

namespace schemagate::commands {
namespace fs = std::filesystem;
using script::RevisionMap;

namespace {

Result<std::string> required_message(const cli::Context& context) {
  if (!context.invocation().has("message")) {
    return Error(ErrorCode::kInvalid, "'" + context.invocation().command +
                                          "' needs -m MESSAGE describing the change");
  }
  return context.invocation().get<std::string>("message");
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) items.push_back(item);
    start = comma + 1;
  }
  return items;
}

/// Resolves each spec to revisions, keeping each once, in the order given.
Result<script::Target> resolve_all(const RevisionMap& map, const std::vector<std::string>& specs) {
  script::Target all;
  for (const std::string& spec : specs) {
    Result<script::Target> target = script::resolve_target(map, spec);
    if (!target) return target.error();
    for (RevisionMap::Index index : *target) {
      if (std::find(all.begin(), all.end(), index) == all.end()) all.push_back(index);
    }
  }
  return all;
}

Result<fs::path> create(cli::Context& context, const script::ScriptDirectory& scripts,
                        script::Migration migration) {
  migration.revision.id = script::new_revision_id(context.random());
  while (scripts.map().find(migration.revision.id)) {
    migration.revision.id = script::new_revision_id(context.random());
  }
  Result<fs::path> path = script::write_new_migration(scripts.versions_dir(), migration);
  if (!path) return path.error();
  log::info("created revision", {{"revision", migration.revision.id}, {"path", path->string()}});
  context.out() << path->string() << "\n";
  return path;
}

}  // namespace

Status init(cli::Context& context) {
  const cli::Invocation& invocation = context.invocation();
  fs::path config_path =
      invocation.has("config") ? invocation.get<std::string>("config") : config::kDefaultFileName;
  std::string directory = !invocation.arguments.empty() ? invocation.arguments.front()
                          : invocation.has("dir")        ? invocation.get<std::string>("dir")
                                                         : "migrations";
  if (fs::exists(config_path)) {
    return Error(ErrorCode::kInvalid, config_path.string() +
                                          " already exists; this project is initialized");
  }
  fs::path versions = config_path.parent_path() / directory / "versions";
  std::error_code ec;
  fs::create_directories(versions, ec);
  if (ec) return Error(ErrorCode::kInvalid, versions.string() + ": " + ec.message());
  std::ofstream stream(config_path);
  stream << config::default_file_text(directory);
  stream.close();
  if (!stream) return Error(ErrorCode::kInvalid, config_path.string() + ": cannot be written");
  log::info("initialized", {{"config", config_path.string()}, {"versions", versions.string()}});
  context.out() << config_path.string() << "\n" << versions.string() << "\n";
  return {};
}

Status revision(cli::Context& context) {
  const cli::Invocation& invocation = context.invocation();
  if (invocation.has("autogenerate")) return autogenerate_revision(context);
  Result<std::string> message = required_message(context);
  if (!message) return message.error();
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  const RevisionMap& map = scripts->map();

  script::Target parents;
  if (invocation.has("parents")) {
    Result<script::Target> resolved =
        resolve_all(map, split_commas(invocation.get<std::string>("parents")));
    if (!resolved) return resolved.error();
    parents = *resolved;
  } else if (map.heads().size() > 1) {
    return Error(ErrorCode::kInvalid,
                 "several heads (" + map.describe(map.heads()) +
                     "); pass --parents REV to pick the one to build on, or merge them first "
                     "with `schemagate merge heads -m ...`");
  } else {
    parents = map.heads();
  }

  script::Migration migration;
  migration.revision.message = *message;
  migration.revision.parents = map.ids(parents);
  if (invocation.has("branch-label")) {
    migration.revision.branch_labels = split_commas(invocation.get<std::string>("branch-label"));
    for (const std::string& label : migration.revision.branch_labels) {
      if (map.label_owner(label)) {
        return Error(ErrorCode::kInvalid, "branch label '" + label + "' is already declared by " +
                                              map.id(*map.label_owner(label)));
      }
    }
  }
  migration.transactional = !invocation.has("no-transaction");
  migration.up.sql = "\n";
  migration.down = script::Body{"\n", 0};
  Result<fs::path> path = create(context, *scripts, std::move(migration));
  if (!path) return path.error();
  return {};
}

Status merge(cli::Context& context) {
  Result<std::string> message = required_message(context);
  if (!message) return message.error();
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  const RevisionMap& map = scripts->map();

  Result<script::Target> parents = resolve_all(map, context.invocation().arguments);
  if (!parents) return parents.error();
  if (parents->size() < 2) {
    return Error(ErrorCode::kInvalid, "nothing to merge: the arguments name one revision (" +
                                          map.describe(*parents) + "); a merge needs two or more");
  }
  for (RevisionMap::Index a : *parents) {
    RevisionMap::Set above = map.ancestors({a});
    for (RevisionMap::Index b : *parents) {
      if (a != b && above[b]) {
        return Error(ErrorCode::kInvalid, "cannot merge " + map.id(b) + " with its descendant " +
                                              map.id(a) + "; merge revisions on separate branches");
      }
    }
  }
  script::Migration migration;
  migration.revision.message = *message;
  migration.revision.parents = map.ids(*parents);
  migration.up.sql = "";
  migration.down = script::Body{"", 0};
  Result<fs::path> path = create(context, *scripts, std::move(migration));
  if (!path) return path.error();
  return {};
}

}  // namespace schemagate::commands
