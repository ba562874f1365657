#include <catch2/catch.hpp>

#include "support/graphs.h"

using namespace schemagate;
using script::Revision;
using script::RevisionMap;
using testing::graph;

namespace {

std::string build_error(const std::vector<Revision>& revisions,
                        const std::vector<std::string>& sources = {}) {
  auto map = RevisionMap::build(revisions, sources);
  REQUIRE_FALSE(map.ok());
  CHECK(map.error().exit_code() == 2);
  return map.error().message();
}

}  // namespace

TEST_CASE("heads, bases, branch and merge points of a diamond", "[revision_map]") {
  RevisionMap map = testing::diamond();
  CHECK(map.size() == 6);
  CHECK(testing::ids(map, map.heads()) == std::vector<std::string>{"f6"});
  CHECK(testing::ids(map, map.bases()) == std::vector<std::string>{"a1"});
  CHECK(map.is_branch_point(*map.find("c3")));
  CHECK(map.is_merge_point(*map.find("f6")));
  CHECK_FALSE(map.is_branch_point(*map.find("d4")));
}

TEST_CASE("topological order puts every parent before its children", "[revision_map]") {
  RevisionMap map = testing::diamond();
  for (RevisionMap::Index i = 0; i < static_cast<RevisionMap::Index>(map.size()); ++i) {
    for (RevisionMap::Index parent : map.parents(i)) CHECK(map.rank(parent) < map.rank(i));
  }
  CHECK(testing::ids(map, map.topological_order()) ==
        std::vector<std::string>{"a1", "b2", "c3", "d4", "e5", "f6"});
}

TEST_CASE("branch labels cover the branch from its fork to its descendants", "[revision_map]") {
  RevisionMap map = graph({{"a1", {}, {}, ""},
                           {"b2", {"a1"}, {}, ""},
                           {"c3", {"b2"}, {}, ""},
                           {"c4", {"c3"}, {"feature"}, ""},
                           {"c5", {"c4"}, {}, ""},
                           {"d1", {"b2"}, {}, ""}});
  auto labels = [&](const std::string& id) { return map.labels(*map.find(id)); };
  CHECK(labels("c5") == std::vector<std::string>{"feature"});
  CHECK(labels("c4") == std::vector<std::string>{"feature"});
  CHECK(labels("c3") == std::vector<std::string>{"feature"});
  CHECK(labels("b2").empty());  // the branch point belongs to both branches
  CHECK(labels("d1").empty());
  CHECK(*map.label_owner("feature") == *map.find("c4"));
}

TEST_CASE("duplicate revision ids name both files", "[revision_map][validation]") {
  std::string message = build_error({{"a1", {}, {}, ""}, {"a1", {}, {}, ""}},
                                     {"versions/a1_one.sql", "versions/a1_two.sql"});
  CHECK_THAT(message, Catch::Contains("duplicate revision id a1"));
  CHECK_THAT(message, Catch::Contains("versions/a1_one.sql"));
  CHECK_THAT(message, Catch::Contains("versions/a1_two.sql"));
}

TEST_CASE("an unknown parent names the file, the revision and the parent",
          "[revision_map][validation]") {
  std::string message = build_error({{"a1", {}, {}, ""}, {"b2", {"ff"}, {}, ""}},
                                     {"versions/a1.sql", "versions/b2_x.sql"});
  CHECK_THAT(message, Catch::Contains("versions/b2_x.sql"));
  CHECK_THAT(message, Catch::Contains("parent ff of revision b2 does not exist"));
}

TEST_CASE("a cycle is reported with the revisions on it", "[revision_map][validation]") {
  std::string message = build_error(
      {{"a1", {}, {}, ""}, {"b2", {"a1", "d4"}, {}, ""}, {"c3", {"b2"}, {}, ""},
       {"d4", {"c3"}, {}, ""}});
  CHECK_THAT(message, Catch::Contains("cycle"));
  CHECK_THAT(message, Catch::Contains("b2"));
  CHECK_THAT(message, Catch::Contains("c3"));
  CHECK_THAT(message, Catch::Contains("d4"));
  CHECK_THAT(message, !Catch::Contains("a1 ("));
}

TEST_CASE("every problem is reported at once", "[revision_map][validation]") {
  std::string message =
      build_error({{"a1", {"x1"}, {}, ""}, {"b2", {"x2"}, {}, ""}});
  CHECK_THAT(message, Catch::Contains("parent x1"));
  CHECK_THAT(message, Catch::Contains("parent x2"));
}

TEST_CASE("branch labels must be unique and not read as targets", "[revision_map][validation]") {
  CHECK_THAT(build_error({{"a1", {}, {"x"}, ""}, {"b2", {"a1"}, {"x"}, ""}}),
             Catch::Contains("'x' is already declared by revision a1"));
  CHECK_THAT(build_error({{"a1", {}, {"heads"}, ""}}),
             Catch::Contains("would be read as a revision target"));
}

TEST_CASE("ancestors, descendants and heads of a set", "[revision_map]") {
  RevisionMap map = testing::diamond();
  auto above_d4 = map.ancestors({*map.find("d4")});
  CHECK(testing::ids(map, map.ordered(above_d4)) ==
        std::vector<std::string>{"a1", "b2", "c3", "d4"});
  auto below_e5 = map.descendants({*map.find("e5")});
  CHECK(testing::ids(map, map.ordered(below_e5)) == std::vector<std::string>{"e5", "f6"});
  auto applied = map.ancestors(testing::at(map, {"d4", "e5"}));
  CHECK(testing::ids(map, map.heads_of(applied)) == std::vector<std::string>{"d4", "e5"});
}

TEST_CASE("prefix lookup finds every revision starting with it", "[revision_map]") {
  RevisionMap map = testing::fork();
  CHECK(testing::ids(map, map.with_prefix("d")) == std::vector<std::string>{"d4", "d5"});
  CHECK(testing::ids(map, map.with_prefix("e")) == std::vector<std::string>{"e5"});
  CHECK(map.with_prefix("9").empty());
}
