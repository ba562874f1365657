#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "engine/executor.h"
#include "engine/migration_lock.h"
#include "engine/progress_watcher.h"
#include "engine/version_store.h"
#include "schemagate/common/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "script/planner.h"
#include "script/script_directory.h"

namespace schemagate::engine {

/// The database as the migrator sees it, checked against the directory.
struct DatabaseState {
  script::Target heads;                           ///< version rows
  std::vector<BlockingFailure> blocking;          ///< failed non-transactional migrations
  /// revision -> checksum recorded when it was applied (or stamped,
  /// repaired), and the applied files edited since: both filled by
  /// Migrator::find_changed, which reads the applied bodies. read_state
  /// alone reads neither a body nor the history's checksums.
  std::map<std::string, std::string> recorded_checksums;
  std::vector<script::RevisionMap::Index> changed;
  bool changed_found = false;
};

struct MigratorOptions {
  bool allow_changed = false;  ///< run despite edited applied files (logged loudly)
  bool dry_run = false;        ///< plan and print, change nothing
  /// Which pending revisions `upgrade` applies (`--phase`).
  script::PhaseSelection phase = script::PhaseSelection::kAll;
  ExecutorOptions executor;
  /// Statements running longer than its interval are reported (the
  /// migration connection's backend pid is filled in here).
  ProgressOptions progress;
};

/// Every entry point follows one shape: read the state (the caller holds
/// the migration lock when it writes) → refuse a failed or changed state →
/// plan → check every body → run the steps. "Nothing to do" is success.
class Migrator {
 public:
  Migrator(pqxx::connection& connection, VersionStore& store,
           const script::ScriptDirectory& scripts, MigratorOptions options, Clock& clock);

  /// Reads the version rows and history. Exit 5 when a row names a revision
  /// the directory does not have, or the rows are inconsistent. Reads no
  /// migration body: a run with nothing to do reads headers only.
  Result<DatabaseState> read_state();
  /// Fills `state.changed` by comparing every applied revision's file with
  /// its recorded checksum, reading their bodies; exit 2 naming the file
  /// and line of a body that cannot be read.
  Status find_changed(DatabaseState& state) const;

  Status upgrade(const std::string& target, std::ostream& out, const MigrationLock* lock);
  Status downgrade(const std::string& target, std::ostream& out, const MigrationLock* lock);
  /// Moves the version rows without running migrations; clears blocking
  /// failures (the operator says where the database really is).
  Status stamp(const std::string& target, std::ostream& out);
  /// stamp() of revisions already resolved against `state` (read_state()),
  /// in one transaction: what adopting another tool's heads needs.
  Status stamp_revisions(const DatabaseState& state, const script::Target& target,
                         std::ostream& out);
  /// Clears blocking failures and accepts the checksums of edited applied
  /// files, recording both in the history.
  Status repair(std::ostream& out);

  /// Exit 5 naming every edited applied revision (the check `verify` runs);
  /// finds them first when find_changed() has not.
  Status verify_checksums(DatabaseState& state) const;
  /// Exit 5 when a non-transactional migration failed or died midway and is
  /// not safe to repeat (see blocking_advice.h); repeatable ones are logged.
  Status refuse_blocking(const DatabaseState& state) const;

 private:
  Status run_plan(const script::Plan& plan, std::ostream& out, const MigrationLock* lock);
  Status check_bodies(const script::Plan& plan) const;
  void print_plan(const script::Plan& plan, std::ostream& out) const;
  /// "Running upgrade A -> B, message", as Alembic says it, before the step runs.
  void announce(const script::Step& step, size_t number, size_t total) const;

  pqxx::connection& connection_;
  VersionStore& store_;
  const script::ScriptDirectory& scripts_;
  MigratorOptions options_;
  Clock& clock_;
};

}  // namespace schemagate::engine
