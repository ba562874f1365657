#include <algorithm>
#include <memory>

#include "commands/commands.h"
#include "commands/database_session.h"
#include "engine/migrator.h"
#include "lint/database_facts.h"
#include "lint/linter.h"
#include "lint/policy.h"
#include "lint/report.h"
#include "schemagate/common/logging.h"
#include "script/target.h"
#include "sql/body_analyzer.h"

namespace schemagate::commands {
namespace {

using script::RevisionMap;

/// The revisions named on the command line, or after --since, in the order
/// they run; nothing when neither was given.
Result<std::optional<std::vector<RevisionMap::Index>>> named_revisions(
    const cli::Context& context, const RevisionMap& map) {
  const cli::Invocation& invocation = context.invocation();
  std::optional<std::vector<RevisionMap::Index>> none;
  if (invocation.has("since")) {
    if (!invocation.arguments.empty()) {
      return Error(ErrorCode::kInvalid, "'lint' takes revisions or --since REV, not both");
    }
    Result<script::Target> since =
        script::resolve_target(map, invocation.get<std::string>("since"));
    if (!since) return since.error();
    RevisionMap::Set after = map.descendants(*since);
    for (RevisionMap::Index index : *since) after[index] = 0;
    return std::optional(map.ordered(after));
  }
  if (invocation.arguments.empty()) return none;
  RevisionMap::Set chosen(map.size(), 0);
  for (const std::string& argument : invocation.arguments) {
    Result<script::Target> target = script::resolve_target(map, argument);
    if (!target) return target.error();
    for (RevisionMap::Index index : *target) chosen[index] = 1;
  }
  return std::optional(map.ordered(chosen));
}

/// The revisions the database has not applied yet.
Result<std::vector<RevisionMap::Index>> pending(DatabaseSession& session,
                                                const script::ScriptDirectory& scripts) {
  engine::Migrator migrator(session.connection(), session.store(), scripts, {}, session.clock());
  Result<engine::DatabaseState> state = migrator.read_state();
  if (!state) return state.error();
  script::Plan plan = script::plan_upgrade(scripts.map(), state->heads, scripts.map().heads());
  std::vector<RevisionMap::Index> revisions;
  for (const script::Step& step : plan.steps) revisions.push_back(step.revision);
  return revisions;
}

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

Status lint(cli::Context& context) {
  const cli::Invocation& invocation = context.invocation();
  Result<lint::ReportFormat> format = lint::parse_report_format(
      invocation.has("format") ? invocation.get<std::string>("format") : "text");
  if (!format) return format.error();
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  Result<config::Config> config = context.settings();
  if (!config) return config.error();
  Result<lint::RuleLevels> levels = lint::rule_levels(config->lint_rules);
  if (!levels) return levels.error();
  Result<DatabaseSettings> settings = database_settings(context, false);
  if (!settings) return settings.error();
  const RevisionMap& map = scripts->map();
  Result<std::optional<std::vector<RevisionMap::Index>>> named = named_revisions(context, map);
  if (!named) return named.error();
  for (RevisionMap::Index index : map.topological_order()) {
    Status ignores = lint::check_ignores(scripts->migration(index));
    if (!ignores) return ignores;
  }

  std::unique_ptr<DatabaseSession> session;
  if (!settings->url.empty()) {
    Result<std::unique_ptr<DatabaseSession>> opened = DatabaseSession::open(*settings, false);
    if (!opened) return opened.error();
    session = std::move(opened).value();
  }
  lint::LintOptions options;
  options.statement_lock_timeout = settings->executor.statement_lock_timeout;
  lint::Report report;
  auto run = [&]() -> Status {
    std::vector<RevisionMap::Index> revisions = map.topological_order();
    if (*named) {
      revisions = **named;
    } else if (session) {
      Result<std::vector<RevisionMap::Index>> unapplied = pending(*session, *scripts);
      if (!unapplied) return unapplied.error();
      revisions = *unapplied;
    }
    lint::NoFacts no_facts;
    std::unique_ptr<lint::DatabaseFacts> database_facts;
    if (session) database_facts = std::make_unique<lint::DatabaseFacts>(session->connection());
    const lint::Facts& facts = database_facts ? static_cast<const lint::Facts&>(*database_facts)
                                              : no_facts;
    lint::Linter linter(facts, options);
    for (RevisionMap::Index index : revisions) {
      const script::Migration& migration = scripts->migration(index);
      std::vector<lint::Finding> found = lint::apply_policy(linter.lint(body_of(migration)),
                                                            *levels, migration.lint_ignores);
      std::move(found.begin(), found.end(), std::back_inserter(report.findings));
    }
    report.revisions = revisions.size();
    return {};
  };
  Status linted = session ? guarded(settings->url, run, session->backend_pid()) : run();
  if (!linted) return linted;

  context.out() << lint::render_report(report, *format);
  auto errors = std::count_if(
      report.findings.begin(), report.findings.end(),
      [](const lint::Finding& f) { return f.severity == lint::Severity::kError; });
  log::info("lint finished", {{"revisions", int64_t(report.revisions)},
                              {"errors", int64_t(errors)},
                              {"warnings", int64_t(report.findings.size()) - errors},
                              {"database", session != nullptr}});
  if (errors > 0) {
    return Error(ErrorCode::kMigrationFailed,
                 std::to_string(errors) + " lint error(s): fix them, lower the rule in "
                                          "schemagate.yaml's lint.rules, or accept one with "
                                          "'-- schemagate:lint-ignore RULE reason'");
  }
  return {};
}

}  // namespace schemagate::commands
