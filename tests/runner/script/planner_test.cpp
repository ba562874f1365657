#include <catch2/catch.hpp>

#include "script/planner.h"
#include "support/graphs.h"

using namespace schemagate;
using script::Direction;
using script::Plan;
using script::RevisionMap;
using testing::at;

namespace {

using Ids = std::vector<std::string>;

Ids steps(const RevisionMap& map, const Plan& plan) {
  Ids ids;
  for (const auto& step : plan.steps) ids.push_back(map.id(step.revision));
  return ids;
}

Plan upgrade(const RevisionMap& map, const Ids& current, const Ids& target) {
  return script::plan_upgrade(map, at(map, current), at(map, target));
}

Plan downgrade(const RevisionMap& map, const Ids& current, const Ids& target) {
  auto plan = script::plan_downgrade(map, at(map, current), at(map, target));
  if (!plan) FAIL(plan.error().message());
  return *plan;
}

}  // namespace

TEST_CASE("upgrade heads from base applies everything, parents first", "[planner]") {
  RevisionMap map = testing::diamond();
  Plan plan = upgrade(map, {}, {"f6"});
  CHECK(steps(map, plan) == Ids{"a1", "b2", "c3", "d4", "e5", "f6"});
  CHECK(map.ids(plan.heads_after) == Ids{"f6"});
  for (const auto& step : plan.steps) CHECK(step.direction == Direction::kUp);
}

TEST_CASE("upgrade records version row changes for branch and merge points", "[planner]") {
  RevisionMap map = testing::diamond();
  Plan plan = upgrade(map, {"c3"}, {"f6"});
  REQUIRE(steps(map, plan) == Ids{"d4", "e5", "f6"});
  // d4 replaces c3; e5 starts a second row (c3 is no longer a row); f6 merges both.
  CHECK(map.ids(plan.steps[0].rows_removed) == Ids{"c3"});
  CHECK(map.ids(plan.steps[0].rows_added) == Ids{"d4"});
  CHECK(plan.steps[1].rows_removed.empty());
  CHECK(map.ids(plan.steps[1].rows_added) == Ids{"e5"});
  CHECK(map.ids(plan.steps[2].rows_removed) == Ids{"d4", "e5"});
  CHECK(map.ids(plan.heads_after) == Ids{"f6"});
}

TEST_CASE("upgrading one branch leaves the other alone", "[planner]") {
  RevisionMap map = testing::fork();
  Plan plan = upgrade(map, {"c3"}, {"d5"});
  CHECK(steps(map, plan) == Ids{"d4", "d5"});
  plan = upgrade(map, {"d5"}, {"e5"});
  CHECK(steps(map, plan) == Ids{"e5"});
  CHECK(map.ids(plan.heads_after) == Ids{"d5", "e5"});
}

TEST_CASE("upgrade to an applied revision is an empty plan", "[planner]") {
  RevisionMap map = testing::diamond();
  Plan plan = upgrade(map, {"f6"}, {"c3"});
  CHECK(plan.steps.empty());
  CHECK(map.ids(plan.heads_after) == Ids{"f6"});
}

TEST_CASE("a merge's other parents are applied when upgrading onto it", "[planner]") {
  RevisionMap map = testing::diamond();
  Plan plan = upgrade(map, {"d4"}, {"f6"});
  CHECK(steps(map, plan) == Ids{"e5", "f6"});
}

TEST_CASE("downgrade undoes only the applied descendants of the target", "[planner]") {
  RevisionMap map = testing::diamond();
  Plan plan = downgrade(map, {"f6"}, {"c3"});
  CHECK(steps(map, plan) == Ids{"f6", "e5", "d4"});
  CHECK(map.ids(plan.heads_after) == Ids{"c3"});
  for (const auto& step : plan.steps) CHECK(step.direction == Direction::kDown);
}

TEST_CASE("downgrade to one side of a merge keeps the other side", "[planner]") {
  RevisionMap map = testing::diamond();
  Plan plan = downgrade(map, {"f6"}, {"d4"});
  CHECK(steps(map, plan) == Ids{"f6"});
  CHECK(map.ids(plan.steps[0].rows_added) == Ids{"d4", "e5"});
  CHECK(map.ids(plan.heads_after) == Ids{"d4", "e5"});
}

TEST_CASE("downgrade of one branch leaves unrelated branches applied", "[planner]") {
  RevisionMap map = testing::fork();
  Plan plan = downgrade(map, {"d5", "e5"}, {"d4"});
  CHECK(steps(map, plan) == Ids{"d5"});
  CHECK(map.ids(plan.heads_after) == Ids{"d4", "e5"});
  plan = downgrade(map, {"d5", "e5"}, {"c3"});
  CHECK(steps(map, plan) == Ids{"e5", "d5", "d4"});
  // The branch point becomes a row again only once both branches are gone.
  CHECK(plan.steps[0].rows_added.empty());
  CHECK(map.ids(plan.steps[1].rows_added) == Ids{"d4"});
  CHECK(map.ids(plan.steps[2].rows_removed) == Ids{"d4"});
  CHECK(map.ids(plan.steps[2].rows_added) == Ids{"c3"});
}

TEST_CASE("downgrade base undoes everything, children first", "[planner]") {
  RevisionMap map = testing::diamond();
  Plan plan = downgrade(map, {"f6"}, {});
  CHECK(steps(map, plan) == Ids{"f6", "e5", "d4", "c3", "b2", "a1"});
  CHECK(plan.heads_after.empty());
}

TEST_CASE("downgrade to a revision that is not applied is an error", "[planner]") {
  RevisionMap map = testing::fork();
  auto plan = script::plan_downgrade(map, at(map, {"d5"}), at(map, {"e5"}));
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.error().exit_code() == 2);
  CHECK_THAT(plan.error().message(), Catch::Contains("e5 is not applied"));
}

TEST_CASE("stamp replaces related rows and keeps unrelated ones", "[planner]") {
  RevisionMap map = testing::fork();
  auto stamp = [&](const Ids& current, const Ids& target) {
    return map.ids(script::plan_stamp(map, at(map, current), at(map, target)));
  };
  CHECK(stamp({"d5", "e5"}, {"d4"}) == Ids{"d4", "e5"});  // descendant row replaced
  CHECK(stamp({"d4"}, {"d5"}) == Ids{"d5"});              // ancestor row replaced
  CHECK(stamp({"d5"}, {"e5"}) == Ids{"d5", "e5"});        // unrelated: added
  CHECK(stamp({}, {"c3"}) == Ids{"c3"});
  CHECK(stamp({"d5", "e5"}, {}).empty());                 // base clears every row
  CHECK(stamp({"d4", "e5"}, {"d5", "e5"}) == Ids{"d5", "e5"});
}

TEST_CASE("current rows must be a set of unrelated known heads", "[planner]") {
  RevisionMap map = testing::fork();
  CHECK(script::check_current(map, at(map, {"d5", "e5"})).ok());
  auto status = script::check_current(map, at(map, {"d4", "d5"}));
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().exit_code() == 5);
  CHECK_THAT(status.error().message(), Catch::Contains("d4 is an ancestor"));
}

namespace {

using script::Phase;
using script::PhaseSelection;

/// a1 (applied) <- b2 expand <- c3 contract <- d4 expand (held: its parent is
/// a pending contract), and a second branch from a1: e5 expand, merged by f6.
RevisionMap phased() {
  return testing::graph({{"a1", {}, {}, "", Phase::kExpand},
                         {"b2", {"a1"}, {}, "add column", Phase::kExpand},
                         {"c3", {"b2"}, {}, "drop old column", Phase::kContract},
                         {"d4", {"c3"}, {}, "after the drop", Phase::kExpand},
                         {"e5", {"a1"}, {}, "add table", Phase::kExpand},
                         {"f6", {"d4", "e5"}, {}, "merge", Phase::kExpand}});
}

Plan upgrade_phase(const RevisionMap& map, const Ids& current, const Ids& target,
                   PhaseSelection phase) {
  return script::plan_upgrade(map, at(map, current), at(map, target), phase);
}

Ids members(const RevisionMap& map, const RevisionMap::Set& set) {
  return map.ids(map.ordered(set));
}

}  // namespace

TEST_CASE("the expand phase applies expand revisions without a pending contract ancestor",
          "[planner][phase]") {
  RevisionMap map = phased();
  Plan plan = upgrade_phase(map, {"a1"}, {"f6"}, PhaseSelection::kExpand);
  CHECK(steps(map, plan) == Ids{"b2", "e5"});
  CHECK(map.ids(plan.heads_after) == Ids{"b2", "e5"});
}

TEST_CASE("the contract phase applies the rest, and after it nothing is pending",
          "[planner][phase]") {
  RevisionMap map = phased();
  Plan plan = upgrade_phase(map, {"b2", "e5"}, {"f6"}, PhaseSelection::kContract);
  CHECK(steps(map, plan) == Ids{"c3", "d4", "f6"});
  CHECK(map.ids(plan.heads_after) == Ids{"f6"});
  CHECK(upgrade_phase(map, {"f6"}, {"f6"}, PhaseSelection::kContract).steps.empty());
}

TEST_CASE("contract without a prior expand run applies the expand revisions too",
          "[planner][phase]") {
  RevisionMap map = phased();
  Plan plan = upgrade_phase(map, {"a1"}, {"f6"}, PhaseSelection::kContract);
  CHECK(steps(map, plan) == steps(map, upgrade(map, {"a1"}, {"f6"})));
}

TEST_CASE("all phases is the plain upgrade", "[planner][phase]") {
  RevisionMap map = phased();
  CHECK(steps(map, upgrade_phase(map, {"a1"}, {"f6"}, PhaseSelection::kAll)) ==
        Ids{"b2", "c3", "d4", "e5", "f6"});
}

TEST_CASE("split_pending tells expanded from fully migrated", "[planner][phase]") {
  RevisionMap map = phased();
  auto split = script::split_pending(map, at(map, {"a1"}), at(map, {"f6"}));
  CHECK(members(map, split.expand) == Ids{"b2", "e5"});
  CHECK(members(map, split.contract) == Ids{"c3", "d4", "f6"});
  CHECK_FALSE(split.expand_done());

  split = script::split_pending(map, at(map, {"b2", "e5"}), at(map, {"f6"}));
  CHECK(split.expand_done());
  CHECK_FALSE(split.contract_done());

  split = script::split_pending(map, at(map, {"f6"}), at(map, {"f6"}));
  CHECK(split.expand_done());
  CHECK(split.contract_done());
}

TEST_CASE("an applied contract revision holds nothing back", "[planner][phase]") {
  RevisionMap map = phased();
  // c3 is applied: d4 has no pending contract ancestor and runs in the expand phase.
  Plan plan = upgrade_phase(map, {"c3"}, {"d4"}, PhaseSelection::kExpand);
  CHECK(steps(map, plan) == Ids{"d4"});
}

TEST_CASE("a history without contract revisions has an empty contract phase",
          "[planner][phase]") {
  RevisionMap map = testing::diamond();
  auto split = script::split_pending(map, {}, at(map, {"f6"}));
  CHECK(split.contract_done());
  CHECK(steps(map, upgrade_phase(map, {}, {"f6"}, PhaseSelection::kExpand)) ==
        steps(map, upgrade(map, {}, {"f6"})));
}
