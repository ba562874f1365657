#include "engine/migrator.h"

#include "engine/blocking_advice.h"
#include "engine/bookkeeping_check.h"
#include "engine/repeatables.h"
#include "schemagate/common/logging.h"
#include "sql/body_analyzer.h"

namespace schemagate::engine {
namespace {

using script::Direction;
using script::RevisionMap;

}  // namespace

Migrator::Migrator(pqxx::connection& connection, VersionStore& store,
                   const script::ScriptDirectory& scripts, MigratorOptions options, Clock& clock)
    : connection_(connection),
      store_(store),
      scripts_(scripts),
      options_(std::move(options)),
      clock_(clock) {}

Result<DatabaseState> Migrator::read_state() {
  const RevisionMap& map = scripts_.map();
  DatabaseState state;
  for (const std::string& row : store_.heads()) {
    auto index = map.find(row);
    if (!index) {
      return Error(ErrorCode::kStateRefused,
                   "the database is at revision " + row + ", which is not in " +
                       scripts_.versions_dir().string() +
                       ": is this the right migration directory? Restore the file, or "
                       "`schemagate stamp` the database to a revision that exists");
    }
    state.heads.push_back(*index);
  }
  Status consistent = script::check_current(map, state.heads);
  if (!consistent) return consistent.error();
  state.blocking = store_.blocking_failures();
  return state;
}

Status Migrator::find_changed(DatabaseState& state) const {
  if (state.changed_found) return {};
  // Read here, not with the rest of the state: a history's checksums are a
  // row per revision, which a run with nothing to do does not need.
  state.recorded_checksums = store_.recorded_checksums();
  const RevisionMap& map = scripts_.map();
  for (RevisionMap::Index index : map.ordered(map.ancestors(state.heads))) {
    auto it = state.recorded_checksums.find(map.id(index));
    if (it == state.recorded_checksums.end()) continue;
    Result<std::string> checksum = scripts_.checksum(index);
    if (!checksum) return checksum.error();
    if (it->second != *checksum) state.changed.push_back(index);
  }
  state.changed_found = true;
  return {};
}

Status Migrator::refuse_blocking(const DatabaseState& state) const {
  for (const BlockingFailure& failure : state.blocking) {
    if (failure.in_progress) {
      log::info("a runner is applying this non-transactional revision right now",
                {{"revision", failure.revision}, {"attempt", failure.error}});
      continue;
    }
    auto index = scripts_.map().find(failure.revision);
    bool down = failure.direction == "down";
    if (index && repeatable_revision(scripts_.migration(*index), down)) {
      log::warn("an earlier attempt of this non-transactional revision did not finish; it is "
                "safe to repeat, so it runs again",
                {{"revision", failure.revision}, {"started_at", failure.started_at},
                 {"previous_attempt", failure.error}});
      continue;
    }
    std::string advice =
        index ? blocking_advice(scripts_.migration(*index), down, 0)
              : "Its file is gone: restore it, or `schemagate stamp` the database where it is";
    return Error(ErrorCode::kStateRefused,
                 "revision " + failure.revision + " (" + failure.direction +
                     ", not transactional) started at " + failure.started_at +
                     " did not complete: " + failure.error +
                     ". The database may be half migrated. " + advice);
  }
  return {};
}

Status Migrator::verify_checksums(DatabaseState& state) const {
  Status found = find_changed(state);
  if (!found) return found;
  if (state.changed.empty()) return {};
  std::string message = "applied migrations changed since they were applied:";
  for (RevisionMap::Index index : state.changed) {
    message += "\n  " + scripts_.map().id(index) + " (" + scripts_.migration(index).path + ")";
  }
  message += "\nrevert the files, or run `schemagate repair` to accept them, or pass "
             "--allow-changed for this run";
  return Error(ErrorCode::kStateRefused, message);
}

Status Migrator::upgrade(const std::string& target, std::ostream& out, const MigrationLock* lock) {
  if (!target.empty() && target[0] == '-') {
    return Error(ErrorCode::kInvalid,
                 "upgrade target '" + target + "' walks backwards; use `schemagate downgrade`");
  }
  Result<DatabaseState> state = read_state();
  if (!state) return state.error();
  Status refused = refuse_blocking(*state);
  if (!refused) return refused;
  Result<script::Target> resolved = script::resolve_target(scripts_.map(), target, state->heads);
  if (!resolved) return resolved.error();
  script::Plan plan =
      script::plan_upgrade(scripts_.map(), state->heads, *resolved, options_.phase);
  // Edited applied files are looked for only when something is to run: a
  // run at head reads no body (docs/design.md, "Checksums").
  if (!plan.steps.empty()) {
    Status unchanged = verify_checksums(*state);
    if (!unchanged && (unchanged.error().code() != ErrorCode::kStateRefused ||
                       !options_.allow_changed)) {
      return unchanged;
    }
    if (!unchanged) {
      log::warn("--allow-changed: running despite edited applied migrations",
                {{"changed", scripts_.map().describe(state->changed)}});
    }
  }
  Status bookkeeping = check_bookkeeping(connection_, store_, scripts_, plan);
  if (!bookkeeping) return bookkeeping;
  RepeatableRunner repeatables(connection_, store_, scripts_, options_.executor, clock_);
  Status repeatable_bodies = repeatables.check_bodies();
  if (!repeatable_bodies) return repeatable_bodies;
  Status ran = run_plan(plan, out, lock);
  if (!ran) return ran;
  return repeatables.after_upgrade(plan, options_.dry_run, out, lock);
}

Status Migrator::downgrade(const std::string& target, std::ostream& out,
                           const MigrationLock* lock) {
  if (!target.empty() && target[0] == '+') {
    return Error(ErrorCode::kInvalid,
                 "downgrade target '" + target + "' walks forwards; use `schemagate upgrade`");
  }
  Result<DatabaseState> state = read_state();
  if (!state) return state.error();
  Status refused = refuse_blocking(*state);
  if (!refused) return refused;
  Result<script::Target> resolved = script::resolve_target(scripts_.map(), target, state->heads);
  if (!resolved) return resolved.error();
  Result<script::Plan> plan = script::plan_downgrade(scripts_.map(), state->heads, *resolved);
  if (!plan) return plan.error();
  if (!plan->steps.empty()) {
    Status unchanged = verify_checksums(*state);
    if (!unchanged && (unchanged.error().code() != ErrorCode::kStateRefused ||
                       !options_.allow_changed)) {
      return unchanged;
    }
  }
  return run_plan(*plan, out, lock);
}

Status Migrator::check_bodies(const script::Plan& plan) const {
  for (const script::Step& step : plan.steps) {
    const script::Migration& migration = scripts_.migration(step.revision);
    Result<const script::Body*> body =
        script::body_for(migration, step.direction == Direction::kDown);
    if (!body) return body.error();
    Result<sql::Analysis> analysis =
        sql::analyze_body(migration.path, (*body)->sql, (*body)->first_line,
                          migration.transactional, migration.wrapped_transaction);
    if (!analysis) return analysis.error();
  }
  return {};
}

void Migrator::print_plan(const script::Plan& plan, std::ostream& out) const {
  const RevisionMap& map = scripts_.map();
  for (const script::Step& step : plan.steps) {
    out << (step.direction == Direction::kUp ? "upgrade " : "downgrade ") << map.id(step.revision)
        << ", " << map.revision(step.revision).message << "\n";
  }
}

void Migrator::announce(const script::Step& step, size_t number, size_t total) const {
  const RevisionMap& map = scripts_.map();
  const script::Revision& revision = map.revision(step.revision);
  std::string parents = revision.parents.empty() ? "<base>" : "";
  for (const std::string& parent : revision.parents) {
    parents += (parents.empty() ? "" : ", ") + parent;
  }
  if (revision.parents.size() > 1) parents = "(" + parents + ")";
  const bool up = step.direction == Direction::kUp;
  std::string from = up ? parents : revision.id;
  std::string to = up ? revision.id : parents;
  log::info("Running " + std::string(up ? "upgrade " : "downgrade ") + from + " -> " + to + ", " +
                revision.message,
            {{"direction", up ? "upgrade" : "downgrade"},
             {"revision", revision.id},
             {"from", from},
             {"to", to},
             {"message", revision.message},
             {"step", uint64_t(number)},
             {"steps", uint64_t(total)},
             {"transactional", scripts_.migration(step.revision).transactional}});
}

Status Migrator::run_plan(const script::Plan& plan, std::ostream& out, const MigrationLock* lock) {
  Status bodies = check_bodies(plan);
  if (!bodies) return bodies;
  if (options_.dry_run) {
    print_plan(plan, out);
    log::info("dry run: nothing changed", {{"steps", int64_t(plan.steps.size())}});
    return {};
  }
  if (plan.steps.empty()) {
    log::info("nothing to do", {{"current", scripts_.map().describe(plan.heads_after)}});
    return {};
  }
  store_.ensure_tables();
  ProgressOptions progress = options_.progress;
  progress.backend_pid = connection_.backendpid();
  ProgressWatcher watcher(progress);
  Executor executor(connection_, store_, options_.executor, clock_, &watcher);
  const RevisionMap& map = scripts_.map();
  for (size_t number = 0; number < plan.steps.size(); ++number) {
    const script::Step& step = plan.steps[number];
    if (lock && !lock->still_held()) {
      return Error(ErrorCode::kLockTimeout,
                   "the migration lease was lost before revision " + map.id(step.revision) +
                       "; another runner may have taken over. Nothing half done: run again");
    }
    const script::Migration& migration = scripts_.migration(step.revision);
    announce(step, number + 1, plan.steps.size());
    auto start = clock_.now();
    // Only the last commit waits for the disk (executor.h).
    Status status = executor.run(map, migration, step, number + 1 == plan.steps.size());
    if (!status) return status;
    log::info(step.direction == Direction::kUp ? "applied" : "reverted",
              {{"revision", migration.revision.id},
               {"message", migration.revision.message},
               {"duration_ms", int64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           clock_.now() - start)
                                           .count())}});
  }
  log::info("done", {{"steps", int64_t(plan.steps.size())},
                     {"current", map.describe(plan.heads_after)}});
  return {};
}

Status Migrator::stamp(const std::string& target, std::ostream& out) {
  Result<DatabaseState> state = read_state();
  if (!state) return state.error();
  Result<script::Target> resolved = script::resolve_target(scripts_.map(), target, state->heads);
  if (!resolved) return resolved.error();
  return stamp_revisions(*state, *resolved, out);
}

Status Migrator::stamp_revisions(const DatabaseState& state, const script::Target& target,
                                 std::ostream& out) {
  const RevisionMap& map = scripts_.map();
  script::Target rows = script::plan_stamp(map, state.heads, target);
  if (options_.dry_run) {
    out << "stamp " << map.describe(state.heads) << " -> " << map.describe(rows) << "\n";
    return {};
  }
  auto shown = [&map](const script::Target& rows) {
    return rows.empty() ? std::string("<base>") : map.describe(rows);
  };
  log::info("Running stamp " + shown(state.heads) + " -> " + shown(rows),
            {{"direction", "stamp"}, {"from", shown(state.heads)}, {"to", shown(rows)}});
  std::vector<std::string> checksums;
  for (RevisionMap::Index index : target) {
    Result<std::string> checksum = scripts_.checksum(index);
    if (!checksum) return checksum.error();
    checksums.push_back(*checksum);
  }
  store_.ensure_tables();
  pqxx::work tx(connection_);
  if (!state.heads.empty()) tx.exec(delete_versions_sql(store_.tables(), map.ids(state.heads)));
  if (!rows.empty()) tx.exec(insert_versions_sql(store_.tables(), map.ids(rows)));
  for (size_t i = 0; i < target.size(); ++i) {
    tx.exec(insert_history_sql(
        store_.tables(), succeeded_record(map.id(target[i]), "stamp", checksums[i],
                                          options_.executor.applied_by)));
  }
  tx.exec("UPDATE " + store_.tables().history() + " SET blocking = false WHERE blocking");
  tx.commit();
  log::info("stamped", {{"from", map.describe(state.heads)}, {"to", map.describe(rows)}});
  return {};
}

Status Migrator::repair(std::ostream& out) {
  Result<DatabaseState> state = read_state();
  if (!state) return state.error();
  Status found = find_changed(*state);
  if (!found) return found;
  if (options_.dry_run) {
    for (const BlockingFailure& failure : state->blocking) {
      out << "clear failure of " << failure.revision << "\n";
    }
    for (RevisionMap::Index index : state->changed) {
      out << "accept checksum of " << scripts_.map().id(index) << "\n";
    }
    return {};
  }
  int cleared = store_.clear_blocking_failures();
  for (RevisionMap::Index index : state->changed) {
    HistoryRecord record =
        succeeded_record(scripts_.map().id(index), "repair", scripts_.migration(index).checksum(),
                         options_.executor.applied_by);
    store_.record(record);
    log::warn("accepted the edited file of an applied revision",
              {{"revision", record.revision}, {"path", scripts_.migration(index).path}});
  }
  log::info("repaired", {{"failures_cleared", cleared},
                         {"checksums_accepted", int64_t(state->changed.size())}});
  return {};
}

}  // namespace schemagate::engine
