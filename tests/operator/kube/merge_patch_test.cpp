#include <catch2/catch.hpp>

#include "kube/merge_patch.h"
#include "migrationjob/json_merge.h"

using schemagate::kube::Json;
using schemagate::kube::merge_patch_between;
using schemagate::kube::status_patch;

TEST_CASE("the merge patch between two objects carries only what changes", "[merge-patch]") {
  Json from = Json::parse(R"({"phase":"Pending","message":"waiting","jobName":"a-1",
    "conditions":[{"type":"Ready","status":"False"}],"nested":{"x":1,"y":2}})");
  Json to = Json::parse(R"({"phase":"Running","message":"waiting",
    "conditions":[{"type":"Ready","status":"False"},{"type":"Reconciling","status":"True"}],
    "nested":{"x":1,"z":3},"attempts":1})");
  Json patch = merge_patch_between(from, to);
  CHECK(patch == Json::parse(R"({"phase":"Running","jobName":null,
    "conditions":[{"type":"Ready","status":"False"},{"type":"Reconciling","status":"True"}],
    "nested":{"y":null,"z":3},"attempts":1})"));
  // Applied as the server applies a merge patch, it gives `to` exactly.
  CHECK(schemagate::migrationjob::merge_patch(from, patch) == to);
  CHECK(merge_patch_between(to, to) == Json::object());
}

TEST_CASE("a status patch is conditional on the object's resourceVersion and holds only status",
          "[merge-patch]") {
  Json current = Json::parse(R"({"metadata":{"name":"shop","resourceVersion":"42","generation":3},
    "spec":{"image":"x"},"status":{"observedGeneration":2,"phase":"Succeeded","extra":"theirs"}})");
  Json status = Json::parse(R"({"observedGeneration":3,"phase":"Succeeded"})");
  CHECK(status_patch(current, status) == Json::parse(R"({"metadata":{"resourceVersion":"42"},
    "status":{"observedGeneration":3,"extra":null}})"));

  // An object without a status yet gets the whole of it.
  current.erase("status");
  CHECK(status_patch(current, status) ==
        Json::parse(R"({"metadata":{"resourceVersion":"42"},"status":{"observedGeneration":3,"phase":"Succeeded"}})"));
}
