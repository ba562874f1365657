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

/// Which revisions an upgrade applies (docs/expand-contract.md).
enum class PhaseSelection {
  kAll,       ///< every pending revision, as without phases
  kExpand,    ///< pending expand revisions without a pending contract ancestor
  /// Everything still pending: after an expand run, the contract revisions
  /// and what depends on them. Expand revisions not applied yet run too (in
  /// graph order), since a contract revision may need them below it.
  kContract,
};

/// Pending revisions on the way to a target, split by phase. `expand` holds
/// the expand revisions with no pending contract ancestor: they can run
/// before a rollout. `contract` holds the rest: contract revisions and any
/// revision (even an expand one) that depends on a pending contract revision,
/// which is held back until the contract phase. `expand` is closed under
/// pending ancestors, so it is a valid plan of its own.
struct PendingSplit {
  RevisionMap::Set expand;
  RevisionMap::Set contract;
  bool expand_done() const;
  bool contract_done() const;
};

PendingSplit split_pending(const RevisionMap& map, const Target& current, const Target& target);

/// Applies, parents first, every ancestor of `target` (and the target) that
/// is not applied yet and that `phase` selects. Nothing to do is an empty
/// plan, not an error.
Plan plan_upgrade(const RevisionMap& map, const Target& current, const Target& target,
                  PhaseSelection phase = PhaseSelection::kAll);

/// Undoes, children first, the applied descendants of `target`; the target
/// and unrelated branches stay. An empty target (base) undoes everything.
/// Exit 2 when a target revision is not applied.
Result<Plan> plan_downgrade(const RevisionMap& map, const Target& current, const Target& target);

/// The version rows after `stamp target`: each row related to a target
/// revision (ancestor or descendant) is replaced by it, unrelated rows stay,
/// and a target with no related row is added. Base clears every row.
Target plan_stamp(const RevisionMap& map, const Target& current, const Target& target);

}  // namespace schemagate::script
