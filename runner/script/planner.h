#pragma once

#include <vector>

#include "schemagate/common/result.h"
#include "script/revision_map.h"
#include "script/target.h"

namespace schemagate::script {

enum class Direction { kUp, kDown };

/// One migration to run and what it does to the version rows (one row per
/// current head, as alembic_version): both commit in one transaction.
struct Step {
  RevisionMap::Index revision;
  Direction direction;
  std::vector<RevisionMap::Index> rows_removed;
  std::vector<RevisionMap::Index> rows_added;
};

struct Plan {
  std::vector<Step> steps;
  Target heads_after;  ///< the version rows once every step is done
};

/// Checks that the database's version rows name known revisions and that no
/// row is an ancestor of another. Exit 5 otherwise: the database and the
/// directory disagree, and nothing should run until a person looks.
Status check_current(const RevisionMap& map, const Target& current);

/// Applies, parents first, every ancestor of `target` (and the target) that
/// is not applied yet. Nothing to do is an empty plan, not an error.
Plan plan_upgrade(const RevisionMap& map, const Target& current, const Target& target);

/// Undoes, children first, the applied descendants of `target`; the target
/// and unrelated branches stay. An empty target (base) undoes everything.
/// Exit 2 when a target revision is not applied.
Result<Plan> plan_downgrade(const RevisionMap& map, const Target& current, const Target& target);

/// The version rows after `stamp target`: each row related to a target
/// revision (ancestor or descendant) is replaced by it, unrelated rows stay,
/// and a target with no related row is added. Base clears every row.
Target plan_stamp(const RevisionMap& map, const Target& current, const Target& target);

}  // namespace schemagate::script
