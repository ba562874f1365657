#include "script/planner.h"

#include <algorithm>

namespace schemagate::script {
namespace {

using Index = RevisionMap::Index;

void erase_value(Target& rows, Index value) {
  rows.erase(std::remove(rows.begin(), rows.end(), value), rows.end());
}

void sort_by_id(const RevisionMap& map, Target& rows) {
  std::sort(rows.begin(), rows.end(), [&map](Index a, Index b) { return map.id(a) < map.id(b); });
}

}  // namespace

Status check_current(const RevisionMap& map, const Target& current) {
  RevisionMap::Set strict_ancestors(map.size(), 0);
  for (Index row : current) {
    for (Index parent : map.parents(row)) {
      RevisionMap::Set above = map.ancestors({parent});
      for (size_t i = 0; i < above.size(); ++i) strict_ancestors[i] |= above[i];
    }
  }
  for (Index row : current) {
    if (strict_ancestors[row]) {
      return Error(ErrorCode::kStateRefused,
                   "version rows are inconsistent: " + map.id(row) +
                       " is an ancestor of another current row (" + map.describe(current) +
                       "); fix them with `schemagate stamp`");
    }
  }
  return {};
}

bool PendingSplit::expand_done() const {
  return std::none_of(expand.begin(), expand.end(), [](char member) { return member != 0; });
}

bool PendingSplit::contract_done() const {
  return std::none_of(contract.begin(), contract.end(), [](char member) { return member != 0; });
}

PendingSplit split_pending(const RevisionMap& map, const Target& current, const Target& target) {
  RevisionMap::Set applied = map.ancestors(current);
  RevisionMap::Set wanted = map.ancestors(target);
  PendingSplit split{RevisionMap::Set(map.size(), 0), RevisionMap::Set(map.size(), 0)};
  // Parents come first, so a revision's parents are classified before it: a
  // pending revision is held for the contract phase when it is a contract
  // revision or a parent of it is held.
  for (Index revision : map.topological_order()) {
    if (!wanted[revision] || applied[revision]) continue;
    bool held = map.revision(revision).phase == Phase::kContract ||
                std::any_of(map.parents(revision).begin(), map.parents(revision).end(),
                            [&split](Index parent) { return split.contract[parent] != 0; });
    (held ? split.contract : split.expand)[revision] = 1;
  }
  return split;
}

Plan plan_upgrade(const RevisionMap& map, const Target& current, const Target& target,
                  PhaseSelection phase) {
  PendingSplit split = split_pending(map, current, target);
  RevisionMap::Set to_apply(map.size(), 0);
  for (size_t i = 0; i < to_apply.size(); ++i) {
    to_apply[i] = split.expand[i] || (split.contract[i] && phase != PhaseSelection::kExpand);
  }

  Plan plan;
  plan.heads_after = current;
  for (Index revision : map.ordered(to_apply)) {
    Step step{revision, Direction::kUp, {}, {revision}};
    for (Index parent : map.parents(revision)) {
      if (std::find(plan.heads_after.begin(), plan.heads_after.end(), parent) !=
          plan.heads_after.end()) {
        step.rows_removed.push_back(parent);
        erase_value(plan.heads_after, parent);
      }
    }
    plan.heads_after.push_back(revision);
    plan.steps.push_back(std::move(step));
  }
  sort_by_id(map, plan.heads_after);
  return plan;
}

Result<Plan> plan_downgrade(const RevisionMap& map, const Target& current, const Target& target) {
  RevisionMap::Set applied = map.ancestors(current);
  for (Index revision : target) {
    if (!applied[revision]) {
      return Error(ErrorCode::kInvalid,
                   "downgrade target " + map.id(revision) + " is not applied (current: " +
                       map.describe(current) + "); use `schemagate upgrade` to reach it");
    }
  }
  RevisionMap::Set to_undo(map.size(), 0);
  if (target.empty()) {
    to_undo = applied;
  } else {
    RevisionMap::Set below = map.descendants(target);
    for (Index revision : target) below[revision] = 0;
    for (size_t i = 0; i < below.size(); ++i) to_undo[i] = below[i] && applied[i];
  }

  std::vector<Index> order = map.ordered(to_undo);
  std::reverse(order.begin(), order.end());
  RevisionMap::Set remaining = applied;
  Plan plan;
  plan.heads_after = current;
  for (Index revision : order) {
    remaining[revision] = 0;
    Step step{revision, Direction::kDown, {revision}, {}};
    erase_value(plan.heads_after, revision);
    for (Index parent : map.parents(revision)) {
      bool still_covered = std::any_of(map.children(parent).begin(), map.children(parent).end(),
                                       [&remaining](Index child) { return remaining[child] != 0; });
      bool already_row = std::find(plan.heads_after.begin(), plan.heads_after.end(), parent) !=
                         plan.heads_after.end();
      if (!still_covered && !already_row) {
        step.rows_added.push_back(parent);
        plan.heads_after.push_back(parent);
      }
    }
    plan.steps.push_back(std::move(step));
  }
  sort_by_id(map, plan.heads_after);
  return plan;
}

Target plan_stamp(const RevisionMap& map, const Target& current, const Target& target) {
  Target rows = target.empty() ? Target{} : current;
  for (Index revision : target) {
    RevisionMap::Set above = map.ancestors({revision});
    RevisionMap::Set below = map.descendants({revision});
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [&](Index row) { return above[row] || below[row]; }),
               rows.end());
    rows.push_back(revision);
  }
  sort_by_id(map, rows);
  return rows;
}

}  // namespace schemagate::script
