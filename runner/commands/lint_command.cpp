#include <algorithm>
#include <memory>

#include "commands/commands.h"
#include "commands/database_settings.h"
#include "commands/lint_run.h"
#include "sqlite/lint_rules.h"
#include "sqlite/statement_splitter.h"
#include "postgres/features.h"
#include "schemagate/common/logging.h"
#include "script/target.h"

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
  Result<DatabaseSettings> settings = database_settings(context, false);
  if (!settings) return settings.error();
  const RevisionMap& map = scripts->map();
  Result<std::optional<std::vector<RevisionMap::Index>>> named = named_revisions(context, map);
  if (!named) return named.error();
  std::unique_ptr<engine::Database> database;
  if (!settings->url.empty()) {
    Result<std::unique_ptr<engine::Database>> opened = open_database(*settings);
    if (!opened) return opened.error();
    database = std::move(opened).value();
  }
  lint::LintOptions options;
  options.statement_lock_timeout = settings->executor.statement_lock_timeout;
  const bool sqlite = settings->engine == "sqlite";
  if (sqlite) {
    // PostgreSQL's locks and rewrites do not exist there: only the rules
    // that hold on any database run, on statements split SQLite's way.
    *config = sqlite::for_sqlite_lint(*config);
    options.split = sqlite::split_statements;
    std::string rules;
    for (const std::string& rule : sqlite::sqlite_lint_rules()) {
      rules += (rules.empty() ? "" : ", ") + rule;
    }
    log::info("SQLite: lint runs the rules that hold there; the others check PostgreSQL's locks, "
              "types and parser and do not apply (docs/sqlite.md)",
              {{"rules", rules}});
  }
  lint::Report report;
  auto run = [&]() -> Status {
    std::vector<RevisionMap::Index> revisions = map.topological_order();
    if (*named) {
      revisions = **named;
    } else if (database) {
      engine::Migrator migrator(*database, *scripts, {}, Clock::real());
      Result<std::vector<RevisionMap::Index>> unapplied = pending_revisions(migrator);
      if (!unapplied) return unapplied.error();
      revisions = *unapplied;
    }
    lint::NoFacts no_facts;
    std::unique_ptr<lint::Facts> database_facts;
    if (database && !sqlite) {
      Result<std::unique_ptr<lint::Facts>> facts = postgres::lint_facts(*database);
      if (!facts) return facts.error();
      database_facts = std::move(facts).value();
    }
    const lint::Facts& facts = database_facts ? static_cast<const lint::Facts&>(*database_facts)
                                              : no_facts;
    Result<lint::Report> linted =
        lint_revisions(*config, *scripts, revisions, facts, options);
    if (!linted) return linted.error();
    report = std::move(linted).value();
    return {};
  };
  Status linted = database ? database->guard(run) : run();
  if (!linted) return linted;

  context.out() << lint::render_report(report, *format);
  const int64_t errors = static_cast<int64_t>(error_count(report));
  log::info("lint finished", {{"revisions", int64_t(report.revisions)},
                              {"errors", errors},
                              {"warnings", int64_t(report.findings.size()) - errors},
                              {"database", database != nullptr}});
  if (errors > 0) {
    return Error(ErrorCode::kMigrationFailed,
                 std::to_string(errors) + " lint error(s): fix them, lower the rule in "
                                          "schemagate.yaml's lint.rules, or accept one with "
                                          "'-- schemagate:lint-ignore RULE reason'");
  }
  return {};
}

}  // namespace schemagate::commands
