#pragma once

#include <string>

#include "script/revision_map.h"

namespace schemagate::commands {

/// `id (label) (head) (branchpoint) (mergepoint)`: Alembic's decoration of a
/// revision in `heads`, `current`, `history` and `show`.
std::string describe_revision(const script::RevisionMap& map, script::RevisionMap::Index index);

}  // namespace schemagate::commands
