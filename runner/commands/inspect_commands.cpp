#include <algorithm>

#include "commands/commands.h"
#include "commands/database_settings.h"
#include "commands/revision_format.h"
#include "engine/migrator.h"
#include "script/target.h"

namespace schemagate::commands {
using script::RevisionMap;

namespace {

/// `parents -> id (head), message`: one line of `history`.
std::string history_line(const RevisionMap& map, RevisionMap::Index index, bool current) {
  std::string parents = map.parents(index).empty() ? "<base>" : map.describe(map.parents(index));
  return parents + " -> " + describe_revision(map, index) + (current ? " (current)" : "") + ", " +
         map.revision(index).message;
}

/// The database's version rows, for `history --indicate-current`.
Result<script::Target> current_rows(const cli::Context& context,
                                    const script::ScriptDirectory& scripts) {
  Result<DatabaseSettings> settings = database_settings(context);
  if (!settings) return settings.error();
  Result<std::unique_ptr<engine::Database>> database = open_database(*settings);
  if (!database) return database.error();
  script::Target rows;
  Status read = (*database)->guard([&]() -> Status {
    engine::Migrator migrator(**database, scripts, {}, Clock::real());
    Result<engine::DatabaseState> state = migrator.read_state();
    if (!state) return state.error();
    rows = state->heads;
    return {};
  });
  if (!read) return read.error();
  return rows;
}

Result<script::ScriptDirectory> load(const cli::Context& context) { return context.scripts(); }

/// Parses `-r A:B` into the revisions between A and B, inclusive.
Result<RevisionMap::Set> history_range(const RevisionMap& map, const std::string& range) {
  size_t colon = range.find(':');
  if (colon == std::string::npos) {
    return Error(ErrorCode::kInvalid, "history range '" + range + "' must look like A:B, A: or :B");
  }
  std::string lower = range.substr(0, colon);
  std::string upper = range.substr(colon + 1);
  RevisionMap::Set below(map.size(), 1);
  RevisionMap::Set above(map.size(), 1);
  if (!lower.empty() && lower != "base") {
    Result<script::Target> from = script::resolve_target(map, lower);
    if (!from) return from.error();
    below = map.descendants(*from);
  }
  if (!upper.empty() && upper != "heads") {
    Result<script::Target> to = script::resolve_target(map, upper);
    if (!to) return to.error();
    above = map.ancestors(*to);
  }
  for (size_t i = 0; i < below.size(); ++i) below[i] = below[i] && above[i];
  return below;
}

}  // namespace

Status heads(cli::Context& context) {
  Result<script::ScriptDirectory> scripts = load(context);
  if (!scripts) return scripts.error();
  const RevisionMap& map = scripts->map();
  bool verbose = context.invocation().has("verbose");
  for (RevisionMap::Index head : map.heads()) {
    context.out() << describe_revision(map, head);
    if (verbose) {
      context.out() << ", " << map.revision(head).message << " [phase "
                    << script::to_string(map.revision(head).phase) << "]";
    }
    context.out() << "\n";
  }
  return {};
}

Status branches(cli::Context& context) {
  Result<script::ScriptDirectory> scripts = load(context);
  if (!scripts) return scripts.error();
  const RevisionMap& map = scripts->map();
  for (RevisionMap::Index index : map.topological_order()) {
    if (!map.is_branch_point(index)) continue;
    context.out() << describe_revision(map, index) << ", " << map.revision(index).message << "\n";
    std::vector<RevisionMap::Index> children = map.children(index);
    std::sort(children.begin(), children.end(),
              [&map](RevisionMap::Index a, RevisionMap::Index b) { return map.id(a) < map.id(b); });
    for (RevisionMap::Index child : children) {
      context.out() << "    -> " << describe_revision(map, child) << ", "
                    << map.revision(child).message << "\n";
    }
  }
  return {};
}

Status history(cli::Context& context) {
  Result<script::ScriptDirectory> scripts = load(context);
  if (!scripts) return scripts.error();
  const RevisionMap& map = scripts->map();
  RevisionMap::Set shown(map.size(), 1);
  if (context.invocation().has("rev-range")) {
    Result<RevisionMap::Set> range =
        history_range(map, context.invocation().get<std::string>("rev-range"));
    if (!range) return range.error();
    shown = *range;
  }
  RevisionMap::Set current(map.size(), 0);
  if (context.invocation().has("indicate-current")) {
    Result<script::Target> rows = current_rows(context, *scripts);
    if (!rows) return rows.error();
    for (RevisionMap::Index row : *rows) current[row] = 1;
  }
  bool verbose = context.invocation().has("verbose");
  std::vector<RevisionMap::Index> order = map.ordered(shown);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    context.out() << history_line(map, *it, current[*it] != 0);
    if (verbose) {
      context.out() << " [" << map.source(*it) << "] [phase "
                    << script::to_string(map.revision(*it).phase) << "]";
    }
    context.out() << "\n";
  }
  if (context.invocation().has("rev-range")) return {};
  // Repeatables stand outside the graph: listed after it, in the order they run.
  for (const script::Migration& repeatable : scripts->repeatables()) {
    context.out() << "<repeatable> -> " << repeatable.revision.id << " (repeatable), "
                  << repeatable.revision.message;
    if (verbose) context.out() << " [" << repeatable.path << "]";
    context.out() << "\n";
  }
  return {};
}

Status show(cli::Context& context) {
  Result<script::ScriptDirectory> scripts = load(context);
  if (!scripts) return scripts.error();
  const RevisionMap& map = scripts->map();
  Result<script::Target> target = script::resolve_target(map, context.invocation().arguments[0]);
  if (!target) return target.error();
  if (target->size() != 1) {
    return Error(ErrorCode::kInvalid, "'show' takes one revision; '" +
                                          context.invocation().arguments[0] + "' names " +
                                          std::to_string(target->size()));
  }
  RevisionMap::Index index = target->front();
  const script::Migration& migration = scripts->migration(index);
  if (migration.body_error) return *migration.body_error;
  std::ostream& out = context.out();
  out << "Rev: " << describe_revision(map, index) << "\n"
      << "Parent: " << (map.parents(index).empty() ? "<base>" : map.describe(map.parents(index)))
      << "\n";
  if (map.is_branch_point(index)) out << "Branches into: " << map.describe(map.children(index)) << "\n";
  if (!map.labels(index).empty()) {
    std::string labels;
    for (const std::string& label : map.labels(index)) labels += (labels.empty() ? "" : ", ") + label;
    out << "Branch names: " << labels << "\n";
  }
  out << "Path: " << migration.path << "\n"
      << "Transactional: " << (migration.transactional ? "true" : "false") << "\n"
      << "Down: " << (migration.down ? "yes" : "none (cannot be downgraded)") << "\n"
      << "Checksum: " << migration.checksum() << "\n\n"
      << "    " << migration.revision.message << "\n";
  return {};
}

}  // namespace schemagate::commands
