#pragma once

#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/sql_dialect.h"
#include "schemagate/common/result.h"
#include "script/planner.h"
#include "script/script_directory.h"

namespace schemagate::engine {

/// The history direction of a repeatable revision's application.
inline constexpr const char* kRepeatDirection = "repeat";

/// Refuses (exit 2, file and line) a repeatable body that cannot run in a
/// transaction: checked before an upgrade runs anything.
Status check_repeatable_bodies(const script::ScriptDirectory& scripts, const SqlDialect& dialect);

/// True when `plan` leaves the database at every head: only then do the
/// repeatables run, since they may use what later revisions create.
bool reaches_heads(const script::RevisionMap& map, const script::Plan& plan);

/// The repeatables of `scripts` whose file differs from what was last
/// applied or adopted (a `repeat` or `stamp` history row), in the order
/// they run.
std::vector<const script::Migration*> pending_repeatables(const script::ScriptDirectory& scripts,
                                                          const StoredState& state);

/// `--sql`: every repeatable, each in a transaction with its history row
/// (with no database to compare checksums with, all of them are printed).
Result<std::string> render_repeatables_offline(const script::ScriptDirectory& scripts,
                                               const SqlDialect& dialect,
                                               const VersionTables& tables,
                                               const std::string& applied_by);

}  // namespace schemagate::engine
