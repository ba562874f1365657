#include "patches.h"

#include <catch2/catch.hpp>

namespace schemagate::testing::kube {
namespace {

using web::json::value;

}  // namespace

TEST_CASE("merge patch follows RFC 7386", "[kube-api][patches]") {
  value target = value::parse(R"({"a":1,"b":{"c":2,"d":3},"l":[1,2]})");
  value patched = merge_patch(target, value::parse(R"({"a":null,"b":{"c":5},"l":[3]})"));
  CHECK(patched == value::parse(R"({"b":{"c":5,"d":3},"l":[3]})"));
}

TEST_CASE("strategic merge patch merges keyed lists and drops directives", "[kube-api][patches]") {
  value target = value::parse(
      R"({"spec":{"containers":[{"name":"app","image":"a:1","ports":[{"containerPort":80}]},{"name":"side","image":"s"}]}})");
  value patch = value::parse(
      R"({"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"side"}],"containers":[{"name":"app","image":"a:2"},{"name":"side","$patch":"delete"}]}})");
  value patched = strategic_merge_patch(target, patch);
  CHECK(patched == value::parse(
                       R"({"spec":{"containers":[{"name":"app","image":"a:2","ports":[{"containerPort":80}]}]}})"));
}

TEST_CASE("JSON patch applies RFC 6902 operations", "[kube-api][patches]") {
  value target = value::parse(R"({"metadata":{"finalizers":["a","b"]},"spec":{"x":1}})");
  auto patched = json_patch(target, value::parse(R"([
    {"op":"test","path":"/metadata/finalizers/0","value":"a"},
    {"op":"remove","path":"/metadata/finalizers/0"},
    {"op":"add","path":"/metadata/finalizers/-","value":"c"},
    {"op":"replace","path":"/spec/x","value":2},
    {"op":"copy","from":"/spec/x","path":"/spec/y"},
    {"op":"move","from":"/spec/y","path":"/spec/z"}])"));
  REQUIRE(patched.ok());
  CHECK(patched.value() ==
        value::parse(R"({"metadata":{"finalizers":["b","c"]},"spec":{"x":2,"z":2}})"));
  auto failed = json_patch(target, value::parse(R"([{"op":"test","path":"/spec/x","value":9}])"));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == 422);
  CHECK_FALSE(json_patch(target, value::parse(R"([{"op":"remove","path":"/nope"}])")).ok());
}

}  // namespace schemagate::testing::kube
