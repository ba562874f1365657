#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "script/revision_map.h"
#include "script/target.h"

namespace schemagate::testing {

/// Builds a RevisionMap from `{id, {parents...}, {labels...}}` rows; fails the
/// test when the graph is invalid.
inline script::RevisionMap graph(const std::vector<script::Revision>& revisions) {
  auto map = script::RevisionMap::build(revisions);
  if (!map) FAIL(map.error().message());
  return std::move(map).value();
}

/// a1 <- b2 <- c3, which branches into d4 (label left) and e5 (label right),
/// merged again by f6.
inline script::RevisionMap diamond() {
  return graph({{"a1", {}, {}, "base"},
                {"b2", {"a1"}, {}, ""},
                {"c3", {"b2"}, {}, ""},
                {"d4", {"c3"}, {"left"}, ""},
                {"e5", {"c3"}, {"right"}, ""},
                {"f6", {"d4", "e5"}, {}, "merge"}});
}

/// The diamond without its merge: two heads, d4 and e5.
inline script::RevisionMap fork() {
  return graph({{"a1", {}, {}, ""},
                {"b2", {"a1"}, {}, ""},
                {"c3", {"b2"}, {}, ""},
                {"d4", {"c3"}, {"left"}, ""},
                {"d5", {"d4"}, {}, ""},
                {"e5", {"c3"}, {"right"}, ""}});
}

/// Ids of `indexes`, for readable assertions.
inline std::vector<std::string> ids(const script::RevisionMap& map,
                                    const std::vector<script::RevisionMap::Index>& indexes) {
  return map.ids(indexes);
}

/// Indexes of `ids` in `map`.
inline script::Target at(const script::RevisionMap& map, const std::vector<std::string>& ids) {
  script::Target target;
  for (const std::string& id : ids) target.push_back(*map.find(id));
  return target;
}

}  // namespace schemagate::testing
