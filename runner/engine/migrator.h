#pragma once

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
  std::vector<script::RevisionMap::Index> changed;  ///< applied files edited since
};

struct MigratorOptions {
  bool allow_changed = false;  ///< run despite edited applied files (logged loudly)
  bool dry_run = false;        ///< plan and print, change nothing
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
  /// the directory does not have, or the rows are inconsistent.
  Result<DatabaseState> read_state();

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

  /// Exit 5 naming every edited applied revision (the check `verify` runs).
  Status verify_checksums(const DatabaseState& state) const;
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
