#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "migrationjob/rollout_gate.h"
#include "operator/migrationjob/fixtures.h"

using namespace schemagate;
using namespace schemagate::migrationjob;

namespace {

// What a server does with a JSON merge patch (RFC 7386), enough for these objects.
Json merged(Json target, const Json& patch) {
  if (!patch.is_object()) return patch;
  if (!target.is_object()) target = Json::object();
  for (const auto& field : patch.as_object()) {
    if (field.second.is_null()) {
      target.erase(field.first);
    } else {
      target[field.first] = merged(target.has_field(field.first) ? target.at(field.first) : Json(),
                                   field.second);
    }
  }
  return target;
}

}  // namespace

TEST_CASE("holding a Deployment pauses it and releasing restores exactly what it was",
          "[migration][gate]") {
  for (std::string paused : {std::string(""), std::string(R"(, "paused": false)")}) {
    Json original = testing::deployment("", paused);
    auto hold = hold_patch(read_workload(original), "shop/shop-migrate");
    REQUIRE(hold);
    CHECK(kube::string_at(*hold, {"metadata", "resourceVersion"}) == "7");
    Json held = merged(original, *hold);
    CHECK(kube::bool_at(held, {"spec", "paused"}));
    REQUIRE(read_gate(held));
    CHECK(read_gate(held)->owner == "shop/shop-migrate");
    CHECK_FALSE(hold_patch(read_workload(held), "shop/shop-migrate"));
    CHECK_FALSE(release_patch(read_workload(held), "shop/other"));

    auto release = release_patch(read_workload(held), "shop/shop-migrate");
    REQUIRE(release);
    Json released = merged(held, *release);
    released["metadata"]["resourceVersion"] = Json::string("7");
    if (released.at("metadata").at("annotations").size() == 0) {
      released["metadata"].erase("annotations");
    }
    CHECK(released == original);
  }
}

TEST_CASE("a Deployment a user paused stays paused after the release", "[migration][gate]") {
  Json original = testing::deployment("", R"(, "paused": true)");
  Json held = merged(original, *hold_patch(read_workload(original), "shop/shop-migrate"));
  Json released = merged(held, *release_patch(read_workload(held), "shop/shop-migrate"));
  CHECK(kube::bool_at(released, {"spec", "paused"}));
}

TEST_CASE("a StatefulSet is held by its partition, and OnDelete ones are left alone",
          "[migration][gate]") {
  Json sts = Json::parse(R"({"kind": "StatefulSet", "metadata": {"name": "db", "resourceVersion": "3"},
    "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                               "rollingUpdate": {"partition": 1}}}})");
  Json held = merged(sts, *hold_patch(read_workload(sts), "shop/m"));
  CHECK(kube::integer_at(held, {"spec", "updateStrategy", "rollingUpdate", "partition"}) ==
        2147483647);
  Json released = merged(held, *release_patch(read_workload(held), "shop/m"));
  CHECK(kube::integer_at(released, {"spec", "updateStrategy", "rollingUpdate", "partition"}) == 1);

  Json on_delete = Json::parse(R"({"kind": "StatefulSet", "metadata": {"name": "db"},
    "spec": {"updateStrategy": {"type": "OnDelete"}}})");
  CHECK_FALSE(hold_patch(read_workload(on_delete), "shop/m"));
}

TEST_CASE("a workload held by another MigrationJob, or with a foreign annotation, is not touched",
          "[migration][gate]") {
  Json theirs = merged(testing::deployment(), *hold_patch(read_workload(testing::deployment()), "shop/other"));
  CHECK_FALSE(hold_patch(read_workload(theirs), "shop/mine"));
  CHECK_FALSE(release_patch(read_workload(theirs), "shop/mine"));
  Json foreign = testing::deployment(R"(, "annotations": {"schemagate.io/rollout-gate": "manual"})");
  CHECK_FALSE(hold_patch(read_workload(foreign), "shop/mine"));
  CHECK_FALSE(release_patch(read_workload(foreign), ""));
}
