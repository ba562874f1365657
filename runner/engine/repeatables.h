#pragma once

#include <map>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "engine/executor.h"
#include "engine/migration_lock.h"
#include "engine/version_store.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "script/planner.h"
#include "script/script_directory.h"

namespace schemagate::engine {

/// The history direction of a repeatable revision's application.
inline constexpr const char* kRepeatDirection = "repeat";

/// Applies repeatable revisions (script/repeatable.h) after an upgrade that
/// reached the heads, under the same migration lock. Each runs in its own
/// transaction with its `repeat` history row, so a failure rolls back that
/// one repeatable, is recorded, and stops the run (exit 1); the versioned
/// revisions committed before it stay.
class RepeatableRunner {
 public:
  RepeatableRunner(pqxx::connection& connection, VersionStore& store,
                   const script::ScriptDirectory& scripts, ExecutorOptions options, Clock& clock);

  /// Refuses (exit 2, file and line) a repeatable body that cannot run in a
  /// transaction: called before an upgrade runs anything.
  Status check_bodies() const;
  /// What the migrator calls after the versioned steps of an upgrade: when
  /// `plan` leaves the database at every head, applies (or, dry, lists) the
  /// pending repeatables; a partial upgrade leaves them alone, since they may
  /// use what later revisions create.
  Status after_upgrade(const script::Plan& plan, bool dry_run, std::ostream& out,
                       const MigrationLock* lock);

  /// The repeatables whose file differs from what was last applied or
  /// adopted (a `repeat` or `stamp` history row), in the order they run.
  std::vector<const script::Migration*> pending();
  /// Runs `pending`, stopping at the first failure.
  Status apply(const std::vector<const script::Migration*>& pending, const MigrationLock* lock);

 private:
  Status apply_one(const script::Migration& migration);

  pqxx::connection& connection_;
  VersionStore& store_;
  const script::ScriptDirectory& scripts_;
  ExecutorOptions options_;
  Clock& clock_;
  std::mt19937_64 random_;
};

/// revision -> checksum of its latest successful `repeat` or `stamp` row:
/// what a repeatable is compared with. Empty without a history table.
std::map<std::string, std::string> recorded_repeatable_checksums(pqxx::connection& connection,
                                                                 VersionStore& store);

/// Lets the history table take `repeat` rows: a table created before
/// repeatable revisions existed has a CHECK on direction without it. A
/// no-op (a catalog read) once widened; idempotent, so `--sql` prints it too.
std::string allow_repeat_direction_sql(const VersionTables& tables);

/// The repeatables of `scripts` whose file differs from what was last
/// applied or adopted, in the order they run: what `check` reports.
std::vector<const script::Migration*> pending_repeatables(pqxx::connection& connection,
                                                         VersionStore& store,
                                                         const script::ScriptDirectory& scripts);

/// `--sql`: every repeatable, each in a transaction with its history row
/// (with no database to compare checksums with, all of them are printed).
Result<std::string> render_repeatables_offline(const script::ScriptDirectory& scripts,
                                               const VersionTables& tables,
                                               const std::string& applied_by);

}  // namespace schemagate::engine
