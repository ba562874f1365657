#include "engine/repeatables.h"

#include <algorithm>

#include "script/repeatable.h"
#include "sql/body_analyzer.h"

namespace schemagate::engine {
namespace {

Result<sql::Analysis> analyze(const script::Migration& migration, const SqlDialect& dialect) {
  return dialect.analyze_body(migration.path, migration.up.sql, migration.up.first_line, true,
                              migration.wrapped_transaction);
}

}  // namespace

Status check_repeatable_bodies(const script::ScriptDirectory& scripts,
                               const SqlDialect& dialect) {
  for (const script::Migration& migration : scripts.repeatables()) {
    Result<sql::Analysis> analysis = analyze(migration, dialect);
    if (!analysis) return analysis.error();
  }
  return {};
}

bool reaches_heads(const script::RevisionMap& map, const script::Plan& plan) {
  std::vector<script::RevisionMap::Index> reached = plan.heads_after;
  std::sort(reached.begin(), reached.end());
  std::vector<script::RevisionMap::Index> heads = map.heads();
  std::sort(heads.begin(), heads.end());
  return reached == heads;
}

std::vector<const script::Migration*> pending_repeatables(const script::ScriptDirectory& scripts,
                                                          const StoredState& state) {
  if (scripts.repeatables().empty()) return {};
  return script::changed_repeatables(scripts.repeatables(), state.repeatable_checksums);
}

Result<std::string> render_repeatables_offline(const script::ScriptDirectory& scripts,
                                               const SqlDialect& dialect,
                                               const VersionTables& tables,
                                               const std::string& applied_by) {
  if (scripts.repeatables().empty()) return std::string();
  std::string out;
  std::string widen = dialect.allow_repeat_direction(tables);
  if (!widen.empty()) out += widen + ";\n\n";
  for (const script::Migration& migration : scripts.repeatables()) {
    Result<sql::Analysis> analysis = analyze(migration, dialect);
    if (!analysis) return analysis.error();
    out += "-- repeatable " + migration.revision.id + ": " + migration.revision.message + " (" +
           migration.path + ")\n" + dialect.begin() + ";\n";
    for (const sql::AnalyzedStatement& statement : analysis->statements) {
      out += statement.statement.sql + ";\n";
    }
    out += dialect.insert_history(tables, succeeded_record(migration.revision.id, kRepeatDirection,
                                                           migration.checksum(), applied_by)) +
           ";\n" + dialect.commit() + ";\n\n";
  }
  return out;
}

}  // namespace schemagate::engine
