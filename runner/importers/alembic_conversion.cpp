#include "importers/alembic_conversion.h"

#include <algorithm>
#include <map>

#include "importers/transaction_mode.h"
#include "script/revision_writer.h"

namespace schemagate::importers {
namespace {

/// The body written for what Alembic could not render offline.
std::string hand_body(const AlembicRevision& revision, const std::string& direction,
                      const std::string& why) {
  std::string reason = why;
  std::replace(reason.begin(), reason.end(), '\n', ' ');
  std::string message = "revision " + revision.id + " was imported from Alembic without its " +
                        direction + " SQL: write it in this file by hand";
  return "-- TODO(schemagate import): Alembic could not render the " + direction + "grade of " +
         revision.path + " offline\n-- (" + reason.substr(0, 300) +
         ").\n-- Write its SQL here, from that Python, and delete the statement below, which "
         "stops\n-- any run that reaches this revision.\nDO $$ BEGIN RAISE EXCEPTION '" + message +
         "'; END $$;\n";
}

/// Alembic's SQL ends every statement with a blank line; one newline is enough.
std::string tidy(std::string sql) {
  while (sql.size() >= 2 && sql[sql.size() - 1] == '\n' && sql[sql.size() - 2] == '\n') {
    sql.pop_back();
  }
  return sql;
}

/// What a depends_on entry names: an id, a unique id prefix, or a branch label.
Result<std::string> resolve_dependency(const std::string& name, const AlembicRevision& revision,
                                       const std::vector<AlembicRevision>& history) {
  std::vector<std::string> matches;
  for (const AlembicRevision& other : history) {
    if (other.id == name) return other.id;
    if (std::find(other.branch_labels.begin(), other.branch_labels.end(), name) !=
        other.branch_labels.end()) {
      return other.id;
    }
    if (other.id.rfind(name, 0) == 0) matches.push_back(other.id);
  }
  if (matches.size() == 1) return matches.front();
  return Error(ErrorCode::kInvalid, revision.path + ": depends_on '" + name +
                                        "' names no single revision or branch label of the "
                                        "project; fix it in Alembic first");
}

}  // namespace

Result<std::vector<ConvertedRevision>> convert_alembic(const std::vector<AlembicRevision>& history) {
  std::vector<ConvertedRevision> converted;
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const AlembicRevision& revision : history) {
    for (const std::string& id : [&] {
           std::vector<std::string> ids = revision.parents;
           ids.insert(ids.begin(), revision.id);
           return ids;
         }()) {
      if (!script::is_revision_id(id)) {
        problem(revision.path + ": revision id '" + id +
                "' cannot be kept: schemagate ids are 1 to 32 letters, digits and '_' (and not "
                "head, heads or base); rename the revision in Alembic first");
      }
    }
    ConvertedRevision out;
    out.source = revision.path;
    script::Migration& migration = out.migration;
    migration.revision.id = revision.id;
    migration.revision.parents = revision.parents;
    migration.revision.branch_labels = revision.branch_labels;
    migration.revision.message =
        revision.message.empty() ? "alembic revision " + revision.id : revision.message;
    for (const std::string& name : revision.depends_on) {
      Result<std::string> dependency = resolve_dependency(name, revision, history);
      if (!dependency) {
        problem(dependency.error().message());
        continue;
      }
      auto& parents = migration.revision.parents;
      if (std::find(parents.begin(), parents.end(), *dependency) == parents.end()) {
        parents.push_back(*dependency);
      }
    }
    std::string why;
    if (revision.up) {
      migration.up = script::Body{tidy(*revision.up), 0};
    } else {
      migration.up = script::Body{hand_body(revision, "up", revision.up_error), 0};
      why = "upgrade: " + revision.up_error;
    }
    if (revision.down) {
      migration.down = script::Body{tidy(*revision.down), 0};
    } else {
      migration.down = script::Body{hand_body(revision, "down", revision.down_error), 0};
      why += (why.empty() ? "" : "; ") + std::string("downgrade: ") + revision.down_error;
    }
    out.needs_hand = why;

    SourceMigration source{Version::parse("0").value(), migration.revision.message,
                           SourceBody{migration.up.sql, revision.path + " (its upgrade SQL)", 1},
                           SourceBody{migration.down->sql, revision.path + " (its downgrade SQL)", 1},
                           false};
    Result<TransactionMode> mode = detect_transaction_mode(source);
    if (!mode) {
      problem(mode.error().message());
    } else {
      migration.transactional = mode->transactional;
      migration.wrapped_transaction = mode->wrapped_transaction;
    }
    converted.push_back(std::move(out));
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);
  return converted;
}

std::string render_converted(const ConvertedRevision& revision) {
  return "-- imported from alembic: " + revision.source + "\n" +
         script::render_migration(revision.migration);
}

}  // namespace schemagate::importers
