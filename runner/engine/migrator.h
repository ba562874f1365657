#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "engine/database.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "script/planner.h"
#include "script/script_directory.h"

namespace schemagate::engine {

/// The database as the migrator sees it, checked against the directory.
struct DatabaseState {
  script::Target heads;                   ///< version rows
  std::vector<BlockingFailure> blocking;  ///< failed non-transactional migrations
  /// The applied files edited since they were applied: filled by
  /// Migrator::find_changed, which reads the recorded checksums (a second
  /// query) and the applied bodies. The state alone reads neither, so a run
  /// with nothing to do costs the headers and one query.
  std::vector<script::RevisionMap::Index> changed;
  bool changed_found = false;
};

/// What a command decides from: the state, read in one round trip, and the
/// plan from it to the target.
struct Prepared {
  StoredState stored;
  DatabaseState state;
  script::Plan plan;
  /// The repeatables an upgrade runs after the plan: the new or changed
  /// ones, when the plan leaves the database at every head; else none.
  std::vector<const script::Migration*> repeatables;
};

/// The one way plans are made, from version rows `heads` to target `spec`
/// (resolved against them): what prepare() plans on a database, and `--sql`
/// from its FROM. An upgrade applies the `phase` of it.
Result<script::Plan> plan_to(const script::RevisionMap& map, const script::Target& heads,
                             const std::string& spec, script::Direction direction,
                             script::PhaseSelection phase = script::PhaseSelection::kAll);

struct MigratorOptions {
  bool allow_changed = false;  ///< run despite edited applied files (logged loudly)
  bool dry_run = false;        ///< plan and print, change nothing
  /// Which pending revisions `upgrade` applies (`--phase`).
  script::PhaseSelection phase = script::PhaseSelection::kAll;
  std::string applied_by;  ///< host or pod name, for the history
  /// How long a writing command waits for the migration lock (exit 4).
  std::chrono::milliseconds lock_timeout{300000};
};

/// Every entry point follows one shape: prepare (read the state, refuse an
/// unknown revision, plan) → refuse a failed or changed state → check every
/// body → take the migration lock and prepare again under it → run the
/// steps. A command with nothing to write takes no lock: an upgrade at head
/// is one query. "Nothing to do" is success. Commands run it inside
/// Database::guard.
class Migrator {
 public:
  Migrator(Database& database, const script::ScriptDirectory& scripts, MigratorOptions options,
           Clock& clock);

  /// Reads the state and plans the way to `target` (upgrade: `phase` of
  /// it; downgrade). Exit 5 when a row names a revision the directory does
  /// not have, or the rows are inconsistent.
  Result<Prepared> prepare(script::Direction direction, const std::string& target,
                           script::PhaseSelection phase = script::PhaseSelection::kAll);
  /// The state alone (prepare without a plan).
  Result<DatabaseState> read_state();
  /// Fills `state.changed` by comparing every applied revision's file with
  /// its recorded checksum (Database::recorded_checksums), reading their
  /// bodies; exit 2 naming the file and line of a body that cannot be read.
  /// Once per state.
  Status find_changed(DatabaseState& state) const;

  /// Each returns the version rows it left (sorted as the table lists them).
  Result<script::Target> upgrade(const std::string& target, std::ostream& out);
  Result<script::Target> downgrade(const std::string& target, std::ostream& out);
  /// Moves the version rows without running migrations; clears blocking
  /// failures (the operator says where the database really is).
  Result<script::Target> stamp(const std::string& target, std::ostream& out);
  /// stamp() of revisions already resolved: what adopting another tool's
  /// heads needs.
  Result<script::Target> stamp_revisions(const script::Target& target, std::ostream& out);
  /// Clears blocking failures and accepts the checksums of edited applied
  /// files, recording both in the history.
  Status repair(std::ostream& out);

  /// Takes the migration lock now (unless dry), held until the migrator is
  /// gone: for a command that writes around the migrator (import's
  /// adoption). The writing entry points take it themselves.
  Status lock();

  /// Exit 5 naming every edited applied revision (the check `verify` runs);
  /// finds them first when find_changed() has not.
  Status verify_checksums(DatabaseState& state) const;
  /// Exit 5 when a non-transactional migration failed or died midway and is
  /// not safe to repeat (see blocking_advice.h); repeatable ones are logged.
  Status refuse_blocking(const DatabaseState& state) const;
  /// Exit 5 when the version rows may not be the whole story
  /// (bookkeeping_check.h).
  Status check_bookkeeping(const Prepared& prepared);

 private:
  /// Refuses what `upgrade` and `downgrade` both refuse: a target walking
  /// the other way, a blocking failure, and, when the plan has steps,
  /// edited applied files (unless --allow-changed, which warns). A plan
  /// without steps compares no checksum (docs/design.md, "Checksums").
  Status preamble(Prepared& prepared) const;
  /// True when running `prepared` writes something: only then is the lock
  /// taken.
  bool writes(const Prepared& prepared) const;
  Status run_plan(const script::Plan& plan, std::ostream& out);
  Status run_repeatables(const Prepared& prepared, std::ostream& out);
  Result<script::Target> write_stamp(const DatabaseState& state, const script::Target& target,
                                     std::ostream& out);
  Status check_bodies(const script::Plan& plan) const;
  void print_plan(const script::Plan& plan, std::ostream& out) const;
  /// "Running upgrade A -> B, message", as Alembic says it, before the step runs.
  void announce(const script::Step& step, size_t number, size_t total) const;
  Result<DatabaseState> check_state(const StoredState& stored) const;
  script::Target as_rows(script::Target heads) const;

  Database& database_;
  const script::ScriptDirectory& scripts_;
  MigratorOptions options_;
  Clock& clock_;
  std::unique_ptr<MigrationLock> lock_;
};

}  // namespace schemagate::engine
