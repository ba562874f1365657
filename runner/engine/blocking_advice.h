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

}  // namespace schemagate::engine
