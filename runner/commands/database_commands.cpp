#include <algorithm>
#include <optional>
#include <random>

#include "commands/commands.h"
#include "commands/database_settings.h"
#include "commands/opening_database.h"
#include "commands/revision_format.h"
#include "commands/safety_checks.h"
#include "engine/migrator.h"
#include "engine/offline_script.h"
#include "engine/pause.h"
#include "engine/repeatables.h"
#include "postgres/features.h"
#include "schemagate/common/logging.h"

namespace schemagate::commands {
namespace {

using engine::Migrator;
using script::RevisionMap;

/// `--phase`: all when absent. Exit 2 for anything else than the three.
Result<script::PhaseSelection> phase_selection(const cli::Invocation& invocation) {
  if (!invocation.has("phase")) return script::PhaseSelection::kAll;
  std::string value = invocation.get<std::string>("phase");
  if (value == "all") return script::PhaseSelection::kAll;
  if (value == "expand") return script::PhaseSelection::kExpand;
  if (value == "contract") return script::PhaseSelection::kContract;
  return Error(ErrorCode::kInvalid, "--phase must be 'expand', 'contract' or 'all', not '" +
                                        value + "'");
}

std::vector<std::string> ids_in(const RevisionMap& map, const RevisionMap::Set& set) {
  return map.ids(map.ordered(set));
}

using Work = std::function<Status(Migrator&, engine::Database&, const script::ScriptDirectory&)>;

/// Loads the scripts, connects, and runs `work` with a migrator inside the
/// engine's guard (database exceptions become typed errors). The migrator
/// takes the migration lock when a command has something to write. The
/// connection is made while the scripts are read (OpeningDatabase); their
/// errors still come first, then the settings', then the connection's.
Status with_migrator(cli::Context& context, const Work& work) {
  Result<DatabaseSettings> settings = database_settings(context);
  const cli::Invocation& invocation = context.invocation();
  Result<script::PhaseSelection> phase = phase_selection(invocation);
  std::optional<OpeningDatabase> opening;
  if (settings && phase) opening.emplace(*settings);
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  if (!settings) return settings.error();
  if (!phase) return phase.error();
  Result<std::unique_ptr<engine::Database>> database = opening->take();
  if (!database) return database.error();
  engine::MigratorOptions options;
  options.allow_changed = invocation.has("allow-changed");
  options.dry_run = invocation.has("dry-run");
  options.phase = *phase;
  options.applied_by = settings->applied_by;
  options.lock_timeout = settings->lock_timeout;
  return (*database)->guard([&]() -> Status {
    if (invocation.has("safety-checks")) {
      Status gated = postgres::gate_strong_locks(**database, settings->executor, Clock::real());
      if (!gated) return gated;
    }
    Migrator migrator(**database, *scripts, options, Clock::real());
    return work(migrator, **database, *scripts);
  });
}

/// `--sql`: plans from `FROM:` (base, or what the spec says) and prints the
/// SQL without connecting.
Status offline(cli::Context& context, const std::string& spec, bool up) {
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  Result<DatabaseSettings> settings = database_settings(context, false);
  if (!settings) return settings.error();
  const RevisionMap& map = scripts->map();
  size_t colon = spec.find(':');
  if (!up && colon == std::string::npos) {
    return Error(ErrorCode::kInvalid, "offline downgrade needs FROM:TO (e.g. heads:base): with "
                                      "--sql there is no database to read the current revision");
  }
  std::string from = colon == std::string::npos ? "base" : spec.substr(0, colon);
  std::string to = colon == std::string::npos ? spec : spec.substr(colon + 1);
  Result<script::Target> current = script::resolve_target(map, from);
  if (!current) return current.error();
  Result<script::PhaseSelection> phase = phase_selection(context.invocation());
  if (!phase) return phase.error();
  script::Target heads = map.heads_of(map.ancestors(*current));
  Result<script::Plan> plan = engine::plan_to(
      map, heads, to, up ? script::Direction::kUp : script::Direction::kDown, *phase);
  if (!plan) return plan.error();
  const engine::SqlDialect& dialect = offline_dialect(*settings);
  Result<std::string> sql =
      engine::render_offline(*scripts, *plan, dialect, settings->tables, settings->applied_by);
  if (!sql) return sql.error();
  context.out() << *sql;
  if (!up || !engine::reaches_heads(map, *plan)) return {};
  Result<std::string> repeatables = engine::render_repeatables_offline(
      *scripts, dialect, settings->tables, settings->applied_by);
  if (!repeatables) return repeatables.error();
  context.out() << *repeatables;
  return {};
}

/// Where a command that moves the version rows left them (`rows`), for
/// --termination-log (the operator reads it as the applied revision), and,
/// given the upgrade's target, what is left for the contract phase.
Status report_revisions(cli::Context& context, const script::ScriptDirectory& scripts,
                        const script::Target& rows, const std::string* upgrade_target = nullptr) {
  if (!context.wants_revisions()) return {};
  const RevisionMap& map = scripts.map();
  context.report_revisions(map.ids(rows));
  if (!upgrade_target) return {};
  Result<script::Target> target = script::resolve_target(map, *upgrade_target, rows);
  if (!target) return target.error();
  context.report_contract_pending(
      ids_in(map, script::split_pending(map, rows, *target).contract));
  return {};
}

std::string target_argument(const cli::Context& context, const std::string& fallback) {
  const auto& arguments = context.invocation().arguments;
  return arguments.empty() ? fallback : arguments.front();
}

}  // namespace

Status upgrade(cli::Context& context) {
  std::string target = target_argument(context, "heads");
  if (context.invocation().has("sql")) {
    if (context.invocation().has("safety-checks")) {
      return Error(ErrorCode::kInvalid, "--safety-checks reads the database, --sql connects to "
                                        "nothing: drop one (`schemagate lint` checks the files "
                                        "alone)");
    }
    return offline(context, target, true);
  }
  return with_migrator(context, [&](Migrator& migrator, engine::Database& database,
                                    const script::ScriptDirectory& scripts) -> Status {
    if (context.invocation().has("safety-checks")) {
      Result<DatabaseSettings> settings = database_settings(context);
      if (!settings) return settings.error();
      Status safe =
          lint_before_upgrade(context, migrator, database, scripts, target, settings->executor);
      if (!safe) return safe;
    }
    Result<script::Target> rows = migrator.upgrade(target, context.out());
    if (!rows) return rows.error();
    return report_revisions(context, scripts, *rows, &target);
  });
}

Status downgrade(cli::Context& context) {
  std::string target = target_argument(context, "");
  if (context.invocation().has("sql")) return offline(context, target, false);
  return with_migrator(context, [&](Migrator& migrator, engine::Database&,
                                    const script::ScriptDirectory& scripts) -> Status {
    Result<script::Target> rows = migrator.downgrade(target, context.out());
    if (!rows) return rows.error();
    return report_revisions(context, scripts, *rows);
  });
}

Status stamp(cli::Context& context) {
  std::string target = target_argument(context, "");
  return with_migrator(context, [&](Migrator& migrator, engine::Database&,
                                    const script::ScriptDirectory& scripts) -> Status {
    Result<script::Target> rows = migrator.stamp(target, context.out());
    if (!rows) return rows.error();
    return report_revisions(context, scripts, *rows);
  });
}

Status repair(cli::Context& context) {
  return with_migrator(context, [&](Migrator& migrator, engine::Database&,
                                    const script::ScriptDirectory&) {
    return migrator.repair(context.out());
  });
}

Status current(cli::Context& context) {
  return with_migrator(context, [&](Migrator& migrator, engine::Database&,
                                    const script::ScriptDirectory& scripts) -> Status {
    Result<engine::Prepared> prepared = migrator.prepare(script::Direction::kUp, "heads");
    if (!prepared) return prepared.error();
    const engine::DatabaseState& state = prepared->state;
    const RevisionMap& map = scripts.map();
    for (RevisionMap::Index head : state.heads) {
      context.out() << describe_revision(map, head) << "\n";
    }
    script::PendingSplit split = script::split_pending(map, state.heads, map.heads());
    if (split.expand_done() && !split.contract_done()) {
      context.out() << "expanded, contract pending: " << map.describe(map.ordered(split.contract))
                    << "\n";
    }
    const auto& recorded = prepared->stored.repeatable_checksums;
    for (const script::Migration& repeatable : scripts.repeatables()) {
      auto it = recorded.find(repeatable.revision.id);
      if (it == recorded.end()) continue;
      context.out() << repeatable.revision.id
                    << (it->second == repeatable.checksum() ? " (repeatable), "
                                                            : " (repeatable, changed), ")
                    << repeatable.revision.message << "\n";
    }
    return {};
  });
}

Status verify(cli::Context& context) {
  return with_migrator(context, [&](Migrator& migrator, engine::Database&,
                                    const script::ScriptDirectory& scripts) -> Status {
    Result<engine::DatabaseState> state = migrator.read_state();
    if (!state) return state.error();
    Status unchanged = migrator.verify_checksums(*state);
    if (!unchanged) return unchanged;
    auto applied = scripts.map().ordered(scripts.map().ancestors(state->heads));
    log::info("checksums verified", {{"applied", int64_t(applied.size())}});
    return {};
  });
}

Status check(cli::Context& context) {
  return with_migrator(context, [&](Migrator& migrator, engine::Database&,
                                    const script::ScriptDirectory& scripts) -> Status {
    Result<engine::Prepared> prepared = migrator.prepare(script::Direction::kUp, "heads");
    if (!prepared) return prepared.error();
    engine::DatabaseState& state = prepared->state;
    Status refused = migrator.refuse_blocking(state);
    if (!refused) return refused;
    Status found = migrator.find_changed(state);
    if (!found) return found;
    Status bookkeeping = migrator.check_bookkeeping(*prepared);
    if (!bookkeeping) return bookkeeping;
    const RevisionMap& map = scripts.map();
    const script::Plan& plan = prepared->plan;
    script::PendingSplit split = script::split_pending(map, state.heads, map.heads());
    for (const script::Step& step : plan.steps) {
      context.out() << "pending " << map.id(step.revision)
                    << (split.contract[step.revision] ? " (contract)" : "") << "\n";
    }
    for (RevisionMap::Index index : state.changed) context.out() << "changed " << map.id(index) << "\n";
    const std::vector<const script::Migration*>& repeatables = prepared->repeatables;
    for (const script::Migration* repeatable : repeatables) {
      context.out() << "pending " << repeatable->revision.id << " (repeatable)\n";
    }
    bool expand_only =
        *phase_selection(context.invocation()) == script::PhaseSelection::kExpand;
    bool migrated = expand_only ? split.expand_done() : plan.steps.empty() && repeatables.empty();
    if (migrated && state.changed.empty()) {
      if (plan.steps.empty()) {
        log::info("up to date", {{"current", map.describe(state.heads)}});
      } else {
        log::info("expanded, contract pending",
                  {{"current", map.describe(state.heads)},
                   {"contract_pending", map.describe(map.ordered(split.contract))}});
      }
      return {};
    }
    return Error(ErrorCode::kMigrationFailed,
                 std::to_string(plan.steps.size()) + " migration(s) pending, " +
                     std::to_string(state.changed.size()) + " applied file(s) changed, " +
                     std::to_string(repeatables.size()) + " repeatable(s) new or changed");
  });
}

Status wait(cli::Context& context) {
  double timeout = context.invocation().has("timeout")
                       ? context.invocation().get<double>("timeout")
                       : 300.0;
  Result<script::PhaseSelection> selected = phase_selection(context.invocation());
  if (!selected) return selected.error();
  script::PhaseSelection phase = *selected;
  return with_migrator(context, [&](Migrator& migrator, engine::Database&,
                                    const script::ScriptDirectory& scripts) -> Status {
    const RevisionMap& map = scripts.map();
    Clock& clock = Clock::real();
    const auto deadline = clock.now() + std::chrono::milliseconds(int64_t(timeout * 1000));
    BackoffPolicy poll{std::chrono::milliseconds(100), std::chrono::milliseconds(2000)};
    std::mt19937_64 random(std::random_device{}());
    for (int attempt = 0;; ++attempt) {
      Result<engine::Prepared> prepared =
          migrator.prepare(script::Direction::kUp, "heads", phase);
      if (!prepared) return prepared.error();
      Status refused = migrator.refuse_blocking(prepared->state);
      if (!refused) return refused;
      const script::Plan& plan = prepared->plan;
      const engine::DatabaseState& state = prepared->state;
      if (plan.steps.empty()) {
        if (phase == script::PhaseSelection::kExpand) {
          log::info("database is expanded", {{"current", map.describe(state.heads)}});
        } else {
          log::info("database is migrated", {{"current", map.describe(state.heads)}});
        }
        return {};
      }
      if (clock.now() >= deadline) {
        return Error(ErrorCode::kLockTimeout,
                     "the database did not reach " + map.describe(map.heads()) + " within " +
                         std::to_string(int(timeout)) + "s (" +
                         std::to_string(plan.steps.size()) +
                         " migration(s) still pending); is a runner or MigrationJob applying them?");
      }
      if (attempt % 10 == 0) {
        log::info("waiting for migrations", {{"pending", int64_t(plan.steps.size())}});
      }
      engine::pause(clock, poll.delay(attempt, random));
    }
  });
}

}  // namespace schemagate::commands
