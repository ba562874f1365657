#include <catch2/catch.hpp>

#include <vector>

#include "watch/predicates.h"

using schemagate::kube::Json;
using schemagate::watch::Delta;
using schemagate::watch::DeltaHandler;
using schemagate::watch::except_additions;

TEST_CASE("except_additions hands on changes and deletions, not additions", "[watch]") {
  std::vector<std::string> seen;
  DeltaHandler handler = except_additions([&seen](const Delta& delta) { seen.push_back(delta.key); });
  handler(Delta{Delta::Type::kAdded, "ns/created", Json(), Json::object()});
  handler(Delta{Delta::Type::kUpdated, "ns/changed", Json::object(), Json::object()});
  handler(Delta{Delta::Type::kDeleted, "ns/deleted", Json(), Json::object()});
  CHECK(seen == std::vector<std::string>{"ns/changed", "ns/deleted"});
}
