#pragma once

#include <string>

#include "script/migration.h"

namespace schemagate::engine {

/// True when every statement of the revision's body for this direction is
/// safe to repeat after an attempt died midway (concurrent_index.h): the
/// next upgrade (or downgrade) retries it instead of refusing.
bool repeatable_revision(const script::Migration& migration, bool down);

/// The command that fixes a non-transactional revision whose attempt stopped
/// at file line `line` (0: not known): `upgrade` again for a repeatable one,
/// else finishing by hand and `stamp`, or undoing by hand and `repair`.
std::string blocking_advice(const script::Migration& migration, bool down, int line);

/// What a failed step says on every engine: `where` (file:line), which
/// direction of which revision, the database's `cause`, and what it left: a
/// transactional step rolled back, or a non-transactional one's statements
/// before `line` applied, with the command that fixes it.
std::string step_failure_message(const script::Migration& migration, bool down,
                                 const std::string& where, int line, const std::string& cause,
                                 bool transactional);

}  // namespace schemagate::engine
