#include "commands/safety_checks.h"

#include "commands/lint_run.h"
#include "postgres/features.h"
#include "lint/linter.h"
#include "schemagate/common/logging.h"

namespace schemagate::commands {

Status lint_before_upgrade(const cli::Context& context, engine::Migrator& migrator,
                           engine::Database& database,
                           const script::ScriptDirectory& scripts, const std::string& target,
                           const engine::ExecutorOptions& executor) {
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  Result<std::vector<script::RevisionMap::Index>> pending =
      pending_revisions(migrator, target);
  if (!pending) return pending.error();
  Result<std::unique_ptr<lint::Facts>> facts = postgres::lint_facts(database);
  if (!facts) return facts.error();
  lint::LintOptions options;
  options.statement_lock_timeout = executor.statement_lock_timeout;
  Result<lint::Report> report = lint_revisions(*config, scripts, *pending, **facts, options);
  if (!report) return report.error();
  for (const lint::Finding& finding : report->findings) {
    std::string where = finding.path + ":" + std::to_string(finding.line);
    log::Fields fields = {{"rule", finding.rule}, {"at", where}, {"instead", finding.rewrite}};
    if (finding.severity == lint::Severity::kError) {
      log::error(finding.message, fields);
    } else {
      log::warn(finding.message, fields);
    }
  }
  size_t errors = error_count(*report);
  if (errors == 0) return {};
  return Error(ErrorCode::kMigrationFailed,
               "--safety-checks: " + std::to_string(errors) +
                   " lint error(s) in the pending revisions (logged above); nothing was applied. "
                   "Fix them, or accept one with '-- schemagate:lint-ignore RULE reason' "
                   "(`schemagate lint` lists them)");
}

}  // namespace schemagate::commands
