#include <algorithm>
#include <random>

#include "commands/commands.h"
#include "commands/database_session.h"
#include "commands/revision_format.h"
#include "commands/safety_checks.h"
#include "engine/bookkeeping_check.h"
#include "engine/migrator.h"
#include "engine/offline_script.h"
#include "engine/repeatables.h"
#include "engine/pause.h"
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

using Work = std::function<Status(Migrator&, DatabaseSession&, const script::ScriptDirectory&)>;

/// Loads the scripts, connects (taking the lock when the command writes),
/// and runs `work` with a migrator; database exceptions become typed errors.
Status with_migrator(cli::Context& context, bool take_lock, const Work& work) {
  Result<script::ScriptDirectory> scripts = context.scripts();
  if (!scripts) return scripts.error();
  Result<DatabaseSettings> settings = database_settings(context);
  if (!settings) return settings.error();
  const cli::Invocation& invocation = context.invocation();
  Result<script::PhaseSelection> phase = phase_selection(invocation);
  if (!phase) return phase.error();
  bool dry_run = invocation.has("dry-run");
  Result<std::unique_ptr<DatabaseSession>> session =
      DatabaseSession::open(*settings, take_lock && !dry_run);
  if (!session) return session.error();
  engine::MigratorOptions options;
  options.allow_changed = invocation.has("allow-changed");
  options.dry_run = dry_run;
  options.phase = *phase;
  options.executor = settings->executor;
  if (invocation.has("safety-checks")) {
    options.executor.before_statement =
        lock_holder_gate(options.executor, (*session)->clock());
  }
  options.progress = settings->progress;
  return guarded(
      settings->url,
      [&]() -> Status {
        Migrator migrator((*session)->connection(), (*session)->store(), *scripts, options,
                          (*session)->clock());
        return work(migrator, **session, *scripts);
      },
      (*session)->backend_pid());
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
  Result<script::Target> target = script::resolve_target(map, to, *current);
  if (!target) return target.error();
  script::Target heads = map.heads_of(map.ancestors(*current));
  script::Plan plan;
  if (up) {
    Result<script::PhaseSelection> phase = phase_selection(context.invocation());
    if (!phase) return phase.error();
    plan = script::plan_upgrade(map, heads, *target, *phase);
  } else {
    Result<script::Plan> down = script::plan_downgrade(map, heads, *target);
    if (!down) return down.error();
    plan = *down;
  }
  Result<std::string> sql = engine::render_offline(*scripts, plan, settings->tables,
                                                   settings->applied_by);
  if (!sql) return sql.error();
  context.out() << *sql;
  std::vector<RevisionMap::Index> reached = plan.heads_after;
  std::vector<RevisionMap::Index> all_heads = map.heads();
  std::sort(reached.begin(), reached.end());
  std::sort(all_heads.begin(), all_heads.end());
  if (!up || reached != all_heads) return {};
  Result<std::string> repeatables =
      engine::render_repeatables_offline(*scripts, settings->tables, settings->applied_by);
  if (!repeatables) return repeatables.error();
  context.out() << *repeatables;
  return {};
}

/// Where a command that moves the version rows left them, for
/// --termination-log (the operator reads it as the applied revision), and,
/// given the upgrade's target, what is left for the contract phase.
Status report_revisions(cli::Context& context, Migrator& migrator,
                        const script::ScriptDirectory& scripts,
                        const std::string* upgrade_target = nullptr) {
  if (!context.wants_revisions()) return {};
  Result<engine::DatabaseState> state = migrator.read_state();
  if (!state) return state.error();
  const RevisionMap& map = scripts.map();
  context.report_revisions(map.ids(state->heads));
  if (!upgrade_target) return {};
  Result<script::Target> target = script::resolve_target(map, *upgrade_target, state->heads);
  if (!target) return target.error();
  context.report_contract_pending(
      ids_in(map, script::split_pending(map, state->heads, *target).contract));
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
  return with_migrator(context, true, [&](Migrator& migrator, DatabaseSession& session,
                                          const script::ScriptDirectory& scripts) -> Status {
    if (context.invocation().has("safety-checks")) {
      Result<DatabaseSettings> settings = database_settings(context);
      if (!settings) return settings.error();
      Status safe = lint_before_upgrade(context, session, scripts, target, settings->executor);
      if (!safe) return safe;
    }
    Status done = migrator.upgrade(target, context.out(), session.lock());
    if (!done) return done;
    return report_revisions(context, migrator, scripts, &target);
  });
}

Status downgrade(cli::Context& context) {
  std::string target = target_argument(context, "");
  if (context.invocation().has("sql")) return offline(context, target, false);
  return with_migrator(context, true, [&](Migrator& migrator, DatabaseSession& session,
                                          const script::ScriptDirectory& scripts) -> Status {
    Status done = migrator.downgrade(target, context.out(), session.lock());
    if (!done) return done;
    return report_revisions(context, migrator, scripts);
  });
}

Status stamp(cli::Context& context) {
  std::string target = target_argument(context, "");
  return with_migrator(context, true, [&](Migrator& migrator, DatabaseSession&,
                                          const script::ScriptDirectory& scripts) -> Status {
    Status done = migrator.stamp(target, context.out());
    if (!done) return done;
    return report_revisions(context, migrator, scripts);
  });
}

Status repair(cli::Context& context) {
  return with_migrator(context, true, [&](Migrator& migrator, DatabaseSession&,
                                          const script::ScriptDirectory&) {
    return migrator.repair(context.out());
  });
}

Status current(cli::Context& context) {
  return with_migrator(context, false, [&](Migrator& migrator, DatabaseSession& session,
                                           const script::ScriptDirectory& scripts) -> Status {
    Result<engine::DatabaseState> state = migrator.read_state();
    if (!state) return state.error();
    const RevisionMap& map = scripts.map();
    for (RevisionMap::Index head : state->heads) {
      context.out() << describe_revision(map, head) << "\n";
    }
    script::PendingSplit split = script::split_pending(map, state->heads, map.heads());
    if (split.expand_done() && !split.contract_done()) {
      context.out() << "expanded, contract pending: " << map.describe(map.ordered(split.contract))
                    << "\n";
    }
    if (scripts.repeatables().empty()) return {};
    auto recorded = engine::recorded_repeatable_checksums(session.connection(), session.store());
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
  return with_migrator(context, false, [&](Migrator& migrator, DatabaseSession&,
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
  return with_migrator(context, false, [&](Migrator& migrator, DatabaseSession& session,
                                           const script::ScriptDirectory& scripts) -> Status {
    Result<engine::DatabaseState> state = migrator.read_state();
    if (!state) return state.error();
    Status refused = migrator.refuse_blocking(*state);
    if (!refused) return refused;
    Status found = migrator.find_changed(*state);
    if (!found) return found;
    const RevisionMap& map = scripts.map();
    script::Plan plan = script::plan_upgrade(map, state->heads, map.heads());
    Status bookkeeping =
        engine::check_bookkeeping(session.connection(), session.store(), scripts, plan);
    if (!bookkeeping) return bookkeeping;
    script::PendingSplit split = script::split_pending(map, state->heads, map.heads());
    for (const script::Step& step : plan.steps) {
      context.out() << "pending " << map.id(step.revision)
                    << (split.contract[step.revision] ? " (contract)" : "") << "\n";
    }
    for (RevisionMap::Index index : state->changed) context.out() << "changed " << map.id(index) << "\n";
    std::vector<const script::Migration*> repeatables =
        engine::pending_repeatables(session.connection(), session.store(), scripts);
    for (const script::Migration* repeatable : repeatables) {
      context.out() << "pending " << repeatable->revision.id << " (repeatable)\n";
    }
    bool expand_only =
        *phase_selection(context.invocation()) == script::PhaseSelection::kExpand;
    bool migrated = expand_only ? split.expand_done() : plan.steps.empty() && repeatables.empty();
    if (migrated && state->changed.empty()) {
      if (plan.steps.empty()) {
        log::info("up to date", {{"current", map.describe(state->heads)}});
      } else {
        log::info("expanded, contract pending",
                  {{"current", map.describe(state->heads)},
                   {"contract_pending", map.describe(map.ordered(split.contract))}});
      }
      return {};
    }
    return Error(ErrorCode::kMigrationFailed,
                 std::to_string(plan.steps.size()) + " migration(s) pending, " +
                     std::to_string(state->changed.size()) + " applied file(s) changed, " +
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
  return with_migrator(context, false, [&](Migrator& migrator, DatabaseSession& session,
                                           const script::ScriptDirectory& scripts) -> Status {
    const RevisionMap& map = scripts.map();
    Clock& clock = session.clock();
    const auto deadline = clock.now() + std::chrono::milliseconds(int64_t(timeout * 1000));
    BackoffPolicy poll{std::chrono::milliseconds(100), std::chrono::milliseconds(2000)};
    std::mt19937_64 random(std::random_device{}());
    for (int attempt = 0;; ++attempt) {
      Result<engine::DatabaseState> state = migrator.read_state();
      if (!state) return state.error();
      Status refused = migrator.refuse_blocking(*state);
      if (!refused) return refused;
      script::Plan plan = script::plan_upgrade(map, state->heads, map.heads(), phase);
      if (plan.steps.empty()) {
        if (phase == script::PhaseSelection::kExpand) {
          log::info("database is expanded", {{"current", map.describe(state->heads)}});
        } else {
          log::info("database is migrated", {{"current", map.describe(state->heads)}});
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
