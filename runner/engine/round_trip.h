#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "schemagate/common/result.h"
#include "script/migration.h"
#include "script/planner.h"
#include "script/script_directory.h"

namespace schemagate::engine {

/// What `schemagate test` needs of an engine: run one step on a scratch
/// database, and record and compare its schema. Each engine reads its
/// schema its own way (PostgreSQL's catalog, SQLite's pragmas); the proof
/// itself is round_trip's, once for all.
class RoundTripSubject {
 public:
  /// A recorded schema, known to the subject by this number.
  using Snapshot = size_t;

  virtual ~RoundTripSubject() = default;
  /// Runs `step` of `migration` and commits it with its version rows.
  virtual Status apply(const script::Migration& migration, const script::Step& step) = 0;
  /// Records the schema as it is now.
  virtual Snapshot snapshot() = 0;
  /// How the schema now differs from `snapshot`, a line each; empty when
  /// they are the same.
  virtual std::vector<std::string> differences_from(Snapshot snapshot) = 0;
  /// Ends the last line of a passing run: what the schema at the heads was.
  virtual std::string describe(Snapshot at_heads) = 0;
};

/// Proves on `subject`, an empty database, that every revision's down undoes
/// its up: for each revision in plan order it upgrades, records the schema,
/// downgrades (which must give back the schema from before the upgrade) and
/// upgrades again (which must give the first upgrade's schema); then it
/// downgrades to base (the empty schema again) and upgrades to the heads.
/// Prints `ok REV, message` a revision to `out`. Exit 1 naming the first
/// revision that fails, with every difference; a failing migration is exit
/// 1 as in `upgrade`.
Status round_trip(const script::ScriptDirectory& scripts, RoundTripSubject& subject,
                  std::ostream& out);

}  // namespace schemagate::engine
