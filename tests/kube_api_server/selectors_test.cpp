#include "selectors.h"

#include <catch2/catch.hpp>

namespace schemagate::testing::kube {
namespace {

web::json::value labelled(const std::string& labels) {
  return web::json::value::parse(R"({"metadata":{"name":"n","namespace":"ns","labels":)" +
                                 labels + "}}");
}

bool selects(const std::string& selector, const std::string& labels) {
  auto parsed = LabelSelector::parse(selector);
  REQUIRE(parsed.ok());
  return parsed.value().matches(labelled(labels));
}

}  // namespace

TEST_CASE("label selectors implement every operator", "[kube-api][selectors]") {
  CHECK(selects("", "{}"));
  CHECK(selects("a=b", R"({"a":"b"})"));
  CHECK(selects("a==b", R"({"a":"b"})"));
  CHECK_FALSE(selects("a=b", R"({"a":"c"})"));
  CHECK(selects("a!=b", R"({})"));
  CHECK_FALSE(selects("a!=b", R"({"a":"b"})"));
  CHECK(selects("a in (b, c)", R"({"a":"c"})"));
  CHECK_FALSE(selects("a in (b,c)", R"({})"));
  CHECK(selects("a notin (b,c)", R"({})"));
  CHECK_FALSE(selects("a notin (b,c)", R"({"a":"b"})"));
  CHECK(selects("a", R"({"a":""})"));
  CHECK(selects("!a", R"({"b":"x"})"));
  CHECK(selects("app.kubernetes.io/name=x,tier in (db)", R"({"app.kubernetes.io/name":"x","tier":"db"})"));
  CHECK_FALSE(LabelSelector::parse("a within (b)").ok());
}

TEST_CASE("field selectors accept only supported fields", "[kube-api][selectors]") {
  auto by_name = FieldSelector::parse("metadata.name=n,metadata.namespace!=other", {});
  REQUIRE(by_name.ok());
  CHECK(by_name.value().matches(labelled("{}")));
  auto unsupported = FieldSelector::parse("spec.x=1", {});
  REQUIRE_FALSE(unsupported.ok());
  CHECK(unsupported.error().code == 400);
  auto extra = FieldSelector::parse("status.phase=Running", {"status.phase"});
  REQUIRE(extra.ok());
  CHECK(extra.value().matches(web::json::value::parse(R"({"status":{"phase":"Running"}})")));
}

}  // namespace schemagate::testing::kube
