#include "commands/lint_run.h"

#include <algorithm>

#include "engine/migrator.h"
#include "lint/policy.h"
#include "script/target.h"
#include "sql/body_analyzer.h"

namespace schemagate::commands {
namespace {

using script::RevisionMap;

/// The up body as the runner will run it: a wrapped transaction's own
/// BEGIN and COMMIT blanked out, lines kept.
lint::BodyToLint body_of(const script::Migration& migration) {
  lint::BodyToLint body{migration.path, migration.up.sql, migration.up.first_line,
                        migration.transactional};
  if (migration.wrapped_transaction) {
    Result<sql::Analysis> analysis = sql::analyze_body(migration.path, migration.up.sql,
                                                       migration.up.first_line, true, true);
    if (analysis) body.sql = analysis->runnable_sql;
  }
  return body;
}

}  // namespace

Result<lint::Report> lint_revisions(const config::Config& config,
                                    const script::ScriptDirectory& scripts,
                                    const std::vector<RevisionMap::Index>& revisions,
                                    const lint::Facts& facts, const lint::LintOptions& options) {
  Result<lint::RuleLevels> levels = lint::rule_levels(config.lint_rules);
  if (!levels) return levels.error();
  for (RevisionMap::Index index : scripts.map().topological_order()) {
    Status ignores = lint::check_ignores(scripts.migration(index));
    if (!ignores) return ignores.error();
  }
  lint::Linter linter(facts, options);
  lint::Report report;
  for (RevisionMap::Index index : revisions) {
    const script::Migration& migration = scripts.migration(index);
    if (migration.body_error) return *migration.body_error;
    std::vector<lint::Finding> found =
        lint::apply_policy(linter.lint(body_of(migration)), *levels, migration.lint_ignores);
    std::move(found.begin(), found.end(), std::back_inserter(report.findings));
  }
  report.revisions = revisions.size();
  return report;
}

Result<std::vector<RevisionMap::Index>> pending_revisions(engine::Migrator& migrator,
                                                          const std::string& target) {
  Result<engine::Prepared> prepared = migrator.prepare(script::Direction::kUp, target);
  if (!prepared) return prepared.error();
  std::vector<RevisionMap::Index> revisions;
  for (const script::Step& step : prepared->plan.steps) revisions.push_back(step.revision);
  return revisions;
}

size_t error_count(const lint::Report& report) {
  return static_cast<size_t>(
      std::count_if(report.findings.begin(), report.findings.end(),
                    [](const lint::Finding& f) { return f.severity == lint::Severity::kError; }));
}

}  // namespace schemagate::commands
