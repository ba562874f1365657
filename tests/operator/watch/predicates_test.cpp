#include <catch2/catch.hpp>

#include <vector>

#include "watch/predicates.h"

using schemagate::kube::Json;
using schemagate::watch::Delta;
using schemagate::watch::DeltaHandler;
using schemagate::watch::except_new_children;

TEST_CASE("except_new_children drops only additions that carry no status yet", "[watch]") {
  std::vector<std::string> seen;
  DeltaHandler handler =
      except_new_children([&seen](const Delta& delta) { seen.push_back(delta.key); });
  // Just created: the API server empties the status (or a stripped object has none).
  handler(Delta{Delta::Type::kAdded, "ns/created", Json(), Json::parse(R"({"status":{}})")});
  handler(Delta{Delta::Type::kAdded, "ns/bare", Json(), Json::object()});
  // First seen with progress: listed at start, or made and run during a watch gap.
  handler(Delta{Delta::Type::kAdded, "ns/ran", Json(),
                Json::parse(R"({"status":{"succeeded":1}})")});
  handler(Delta{Delta::Type::kUpdated, "ns/changed", Json::object(), Json::object()});
  handler(Delta{Delta::Type::kDeleted, "ns/deleted", Json(), Json::object()});
  CHECK(seen == std::vector<std::string>{"ns/ran", "ns/changed", "ns/deleted"});
}
