#include "engine/migrator.h"

#include <algorithm>
#include <map>

#include "engine/blocking_advice.h"
#include "engine/bookkeeping_check.h"
#include "engine/repeatables.h"
#include "schemagate/common/logging.h"
#include "sql/body_analyzer.h"

namespace schemagate::engine {
namespace {

using script::Direction;
using script::RevisionMap;

int64_t elapsed_ms(Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start).count();
}

}  // namespace

Result<script::Plan> plan_to(const RevisionMap& map, const script::Target& heads,
                             const std::string& spec, Direction direction,
                             script::PhaseSelection phase) {
  Result<script::Target> resolved = script::resolve_target(map, spec, heads);
  if (!resolved) return resolved.error();
  if (direction == Direction::kUp) return script::plan_upgrade(map, heads, *resolved, phase);
  return script::plan_downgrade(map, heads, *resolved);
}

Migrator::Migrator(Database& database, const script::ScriptDirectory& scripts,
                   MigratorOptions options, Clock& clock)
    : database_(database), scripts_(scripts), options_(std::move(options)), clock_(clock) {}

Result<DatabaseState> Migrator::check_state(const StoredState& stored) const {
  const RevisionMap& map = scripts_.map();
  DatabaseState state;
  for (const std::string& row : stored.version_rows) {
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
  state.blocking = stored.blocking;
  return state;
}

Status Migrator::find_changed(DatabaseState& state) const {
  if (state.changed_found) return {};
  state.changed_found = true;
  if (state.heads.empty()) return {};  // nothing applied, nothing to compare
  // A second query, not part of read_state: the checksums are a row per
  // applied revision, which a run with nothing to do does not need.
  const std::map<std::string, std::string> recorded = database_.recorded_checksums();
  const RevisionMap& map = scripts_.map();
  for (RevisionMap::Index index : map.ordered(map.ancestors(state.heads))) {
    auto it = recorded.find(map.id(index));
    if (it == recorded.end()) continue;
    Result<std::string> checksum = scripts_.checksum(index);
    if (!checksum) return checksum.error();
    if (it->second != *checksum) state.changed.push_back(index);
  }
  return {};
}

Result<DatabaseState> Migrator::read_state() { return check_state(database_.read_state()); }

Result<Prepared> Migrator::prepare(Direction direction, const std::string& target,
                                   script::PhaseSelection phase) {
  const RevisionMap& map = scripts_.map();
  Prepared prepared;
  prepared.stored = database_.read_state();
  Result<DatabaseState> state = check_state(prepared.stored);
  if (!state) return state.error();
  prepared.state = std::move(state).value();
  Result<script::Plan> plan = plan_to(map, prepared.state.heads, target, direction, phase);
  if (!plan) return plan.error();
  prepared.plan = std::move(plan).value();
  if (direction == Direction::kUp && reaches_heads(map, prepared.plan)) {
    prepared.repeatables = pending_repeatables(scripts_, prepared.stored);
  }
  return prepared;
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

Status Migrator::check_bookkeeping(const Prepared& prepared) {
  return engine::check_bookkeeping(database_, prepared.stored, scripts_, prepared.plan);
}

Status Migrator::preamble(Prepared& prepared) const {
  Status refused = refuse_blocking(prepared.state);
  if (!refused) return refused;
  // Edited applied files are looked for only when something is to run: a
  // run at head reads no body and no checksum.
  if (prepared.plan.steps.empty()) return {};
  Status unchanged = verify_checksums(prepared.state);
  if (!unchanged) {
    if (unchanged.error().code() != ErrorCode::kStateRefused || !options_.allow_changed) {
      return unchanged;
    }
    log::warn("--allow-changed: running despite edited applied migrations",
              {{"changed", scripts_.map().describe(prepared.state.changed)}});
  }
  return {};
}

bool Migrator::writes(const Prepared& prepared) const {
  return !options_.dry_run && (!prepared.plan.steps.empty() || !prepared.repeatables.empty());
}

Status Migrator::lock() {
  if (lock_ || options_.dry_run) return {};
  Result<std::unique_ptr<MigrationLock>> taken = database_.lock(options_.lock_timeout);
  if (!taken) return taken.error();
  lock_ = std::move(taken).value();
  return {};
}

script::Target Migrator::as_rows(script::Target heads) const {
  const RevisionMap& map = scripts_.map();
  std::sort(heads.begin(), heads.end(), [&map](RevisionMap::Index a, RevisionMap::Index b) {
    return map.id(a) < map.id(b);
  });
  return heads;
}

Result<script::Target> Migrator::upgrade(const std::string& target, std::ostream& out) {
  if (!target.empty() && target[0] == '-') {
    return Error(ErrorCode::kInvalid,
                 "upgrade target '" + target + "' walks backwards; use `schemagate downgrade`");
  }
  Result<Prepared> prepared = prepare(Direction::kUp, target, options_.phase);
  if (!prepared) return prepared.error();
  if (writes(*prepared)) {
    // Something to write: under the lock, from the state as it is now (the
    // runner that held the lock may have done it all).
    Status locked = lock();
    if (!locked) return locked.error();
    prepared = prepare(Direction::kUp, target, options_.phase);
    if (!prepared) return prepared.error();
  }
  Status preamble_passed = preamble(*prepared);
  if (!preamble_passed) return preamble_passed.error();
  Status bookkeeping = check_bookkeeping(*prepared);
  if (!bookkeeping) return bookkeeping.error();
  Status repeatable_bodies = check_repeatable_bodies(scripts_, database_.dialect());
  if (!repeatable_bodies) return repeatable_bodies.error();
  Status ran = run_plan(prepared->plan, out);
  if (!ran) return ran.error();
  Status repeated = run_repeatables(*prepared, out);
  if (!repeated) return repeated.error();
  return as_rows(options_.dry_run ? prepared->state.heads : prepared->plan.heads_after);
}

Result<script::Target> Migrator::downgrade(const std::string& target, std::ostream& out) {
  if (!target.empty() && target[0] == '+') {
    return Error(ErrorCode::kInvalid,
                 "downgrade target '" + target + "' walks forwards; use `schemagate upgrade`");
  }
  Result<Prepared> prepared = prepare(Direction::kDown, target);
  if (!prepared) return prepared.error();
  if (writes(*prepared)) {
    Status locked = lock();
    if (!locked) return locked.error();
    prepared = prepare(Direction::kDown, target);
    if (!prepared) return prepared.error();
  }
  Status preamble_passed = preamble(*prepared);
  if (!preamble_passed) return preamble_passed.error();
  Status ran = run_plan(prepared->plan, out);
  if (!ran) return ran.error();
  return as_rows(options_.dry_run ? prepared->state.heads : prepared->plan.heads_after);
}

Status Migrator::check_bodies(const script::Plan& plan) const {
  for (const script::Step& step : plan.steps) {
    const script::Migration& migration = scripts_.migration(step.revision);
    Result<const script::Body*> body =
        script::body_for(migration, step.direction == Direction::kDown);
    if (!body) return body.error();
    Result<sql::Analysis> analysis =
        database_.dialect().analyze_body(migration.path, (*body)->sql, (*body)->first_line,
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

Status Migrator::run_plan(const script::Plan& plan, std::ostream& out) {
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
  database_.ensure_tables();
  const RevisionMap& map = scripts_.map();
  for (size_t number = 0; number < plan.steps.size(); ++number) {
    const script::Step& step = plan.steps[number];
    if (lock_ && !lock_->still_held()) {
      return Error(ErrorCode::kLockTimeout,
                   "the migration lease was lost before revision " + map.id(step.revision) +
                       "; another runner may have taken over. Nothing half done: run again");
    }
    const script::Migration& migration = scripts_.migration(step.revision);
    announce(step, number + 1, plan.steps.size());
    auto start = clock_.now();
    // Only the last commit waits for the disk (Database::apply).
    Status status = database_.apply(map, migration, step, number + 1 == plan.steps.size());
    if (!status) return status;
    log::info(step.direction == Direction::kUp ? "applied" : "reverted",
              {{"revision", migration.revision.id},
               {"message", migration.revision.message},
               {"duration_ms", elapsed_ms(clock_, start)}});
  }
  log::info("done", {{"steps", int64_t(plan.steps.size())},
                     {"current", map.describe(plan.heads_after)}});
  return {};
}

Status Migrator::run_repeatables(const Prepared& prepared, std::ostream& out) {
  if (scripts_.repeatables().empty()) return {};
  if (!reaches_heads(scripts_.map(), prepared.plan)) {
    log::info("repeatable revisions left alone: the upgrade stops before the heads",
              {{"repeatables", int64_t(scripts_.repeatables().size())}});
    return {};
  }
  if (options_.dry_run) {
    for (const script::Migration* migration : prepared.repeatables) {
      out << "repeat " << migration->revision.id << ", " << migration->revision.message << "\n";
    }
    return {};
  }
  if (prepared.repeatables.empty()) {
    log::info("repeatable revisions unchanged",
              {{"repeatables", int64_t(scripts_.repeatables().size())}});
    return {};
  }
  database_.ensure_tables();
  for (const script::Migration* migration : prepared.repeatables) {
    if (lock_ && !lock_->still_held()) {
      return Error(ErrorCode::kLockTimeout,
                   "the migration lease was lost before repeatable revision " +
                       migration->revision.id +
                       "; another runner may have taken over. Nothing half done: run again");
    }
    auto start = clock_.now();
    Status status = database_.apply_repeatable(*migration);
    if (!status) return status;
    log::info("applied repeatable", {{"revision", migration->revision.id},
                                     {"message", migration->revision.message},
                                     {"duration_ms", elapsed_ms(clock_, start)}});
  }
  return {};
}

Result<script::Target> Migrator::stamp(const std::string& target, std::ostream& out) {
  Status locked = lock();
  if (!locked) return locked.error();
  Result<DatabaseState> state = read_state();
  if (!state) return state.error();
  Result<script::Target> resolved = script::resolve_target(scripts_.map(), target, state->heads);
  if (!resolved) return resolved.error();
  return write_stamp(*state, *resolved, out);
}

Result<script::Target> Migrator::stamp_revisions(const script::Target& target, std::ostream& out) {
  Status locked = lock();
  if (!locked) return locked.error();
  Result<DatabaseState> state = read_state();
  if (!state) return state.error();
  return write_stamp(*state, target, out);
}

Result<script::Target> Migrator::write_stamp(const DatabaseState& state,
                                             const script::Target& target, std::ostream& out) {
  const RevisionMap& map = scripts_.map();
  script::Target rows = script::plan_stamp(map, state.heads, target);
  if (options_.dry_run) {
    out << "stamp " << map.describe(state.heads) << " -> " << map.describe(rows) << "\n";
    return as_rows(state.heads);
  }
  auto shown = [&map](const script::Target& rows) {
    return rows.empty() ? std::string("<base>") : map.describe(rows);
  };
  log::info("Running stamp " + shown(state.heads) + " -> " + shown(rows),
            {{"direction", "stamp"}, {"from", shown(state.heads)}, {"to", shown(rows)}});
  database_.ensure_tables();
  std::vector<HistoryRecord> history;
  for (RevisionMap::Index index : target) {
    Result<std::string> checksum = scripts_.checksum(index);
    if (!checksum) return checksum.error();
    history.push_back(succeeded_record(map.id(index), "stamp", *checksum, options_.applied_by));
  }
  Status written = database_.write_stamp(map.ids(state.heads), map.ids(rows), history);
  if (!written) return written.error();
  log::info("stamped", {{"from", map.describe(state.heads)}, {"to", map.describe(rows)}});
  return as_rows(rows);
}

Status Migrator::repair(std::ostream& out) {
  Status locked = lock();
  if (!locked) return locked;
  StoredState stored = database_.read_state();
  Result<DatabaseState> state = check_state(stored);
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
  int cleared = stored.history_table_exists ? database_.clear_blocking_failures() : 0;
  for (RevisionMap::Index index : state->changed) {
    HistoryRecord record =
        succeeded_record(scripts_.map().id(index), "repair", scripts_.migration(index).checksum(),
                         options_.applied_by);
    database_.record(record);
    log::warn("accepted the edited file of an applied revision",
              {{"revision", record.revision}, {"path", scripts_.migration(index).path}});
  }
  log::info("repaired", {{"failures_cleared", cleared},
                         {"checksums_accepted", int64_t(state->changed.size())}});
  return {};
}

}  // namespace schemagate::engine
