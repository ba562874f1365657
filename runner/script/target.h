#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schemagate/common/result.h"
#include "script/revision_map.h"

namespace schemagate::script {

/// What a target names: a set of revisions. An empty set is `base`, the state
/// before the first revision.
using Target = std::vector<RevisionMap::Index>;

/// The one place where symbolic targets are resolved, spelled as Alembic
/// spells them: `head`, `heads`, `base`, a full id, a unique id prefix, a
/// branch label (the revision declaring it), `label@head`, `label@REV`,
/// `+N`/`-N` relative to the current revision and `REV+N`/`REV-N`.
///
/// `current` is the database's version rows; nullopt when no database is
/// involved, which makes `+N`/`-N` an error.
///
/// Errors: exit 2 for an unknown, ambiguous or mis-walked target; exit 5 for
/// a relative walk that needs one current revision when there are several.
Result<Target> resolve_target(const RevisionMap& map, const std::string& spec,
                              const std::optional<Target>& current = std::nullopt);

}  // namespace schemagate::script
