#include <catch2/catch.hpp>

#include "watch/store.h"

using schemagate::kube::Json;
using schemagate::kube::WatchEvent;
using schemagate::watch::Delta;
using schemagate::watch::Store;

namespace {

Json object(const std::string& name, const std::string& version) {
  return Json::parse(R"({"metadata":{"namespace":"ns","name":")" + name +
                     R"(","resourceVersion":")" + version + R"("}})");
}

std::string describe(const Delta& delta) {
  const char* type = delta.type == Delta::Type::kAdded     ? "added"
                     : delta.type == Delta::Type::kUpdated ? "updated"
                                                           : "deleted";
  return std::string(type) + " " + delta.key + "@" +
         schemagate::kube::resource_version_of(delta.object);
}

std::vector<std::string> describe(const std::vector<Delta>& deltas) {
  std::vector<std::string> out;
  for (const auto& delta : deltas) out.push_back(describe(delta));
  return out;
}

}  // namespace

TEST_CASE("replace reports additions, changes and deletions", "[watch]") {
  Store store;
  CHECK(describe(store.replace({object("a", "1"), object("b", "2")})) ==
        std::vector<std::string>{"added ns/a@1", "added ns/b@2"});
  // b vanished during a watch gap, c appeared, a changed, nothing else.
  auto deltas = store.replace({object("a", "5"), object("c", "6")});
  CHECK(describe(deltas) ==
        std::vector<std::string>{"updated ns/a@5", "added ns/c@6", "deleted ns/b@2"});
  CHECK(deltas[0].old_object == object("a", "1"));
  CHECK(store.keys() == std::vector<std::string>{"ns/a", "ns/c"});
  CHECK(store.replace({object("a", "5"), object("c", "6")}).empty());
}

TEST_CASE("watch events update the store once", "[watch]") {
  Store store;
  auto added = store.apply(WatchEvent::Type::kAdded, object("a", "1"));
  REQUIRE(added);
  CHECK(describe(*added) == "added ns/a@1");
  CHECK_FALSE(store.apply(WatchEvent::Type::kModified, object("a", "1")));  // seen already
  auto modified = store.apply(WatchEvent::Type::kModified, object("a", "2"));
  REQUIRE(modified);
  CHECK(describe(*modified) == "updated ns/a@2");
  CHECK(store.get("ns/a") == object("a", "2"));
  auto deleted = store.apply(WatchEvent::Type::kDeleted, object("a", "3"));
  REQUIRE(deleted);
  CHECK(describe(*deleted) == "deleted ns/a@3");
  CHECK_FALSE(store.get("ns/a"));
  CHECK_FALSE(store.apply(WatchEvent::Type::kDeleted, object("a", "3")));
  CHECK(store.size() == 0);
}

TEST_CASE("readers get copies of cached objects", "[watch]") {
  Store store;
  store.replace({object("a", "1")});
  Json copy = *store.get("ns/a");
  copy["metadata"]["name"] = Json::string("changed");
  CHECK(schemagate::kube::name_of(*store.get("ns/a")) == "a");
}

TEST_CASE("an object comes out of the store as it went in", "[watch]") {
  // Held as text: nesting, numbers, booleans, nulls, escapes and non-ASCII
  // text survive the round trip, and so does the previous state of a change.
  Json first = Json::parse(R"({"metadata":{"namespace":"ns","name":"a","resourceVersion":"1",
    "generation":3,"labels":{"app":"shop \"eu\"\n\u00e9\u20ac"}},
    "spec":{"ratio":0.25,"big":9007199254740993,"flags":[true,false,null],"empty":{}},
    "status":{"conditions":[{"type":"Ready","status":"True"}]}})");
  Store store;
  store.replace({first});
  REQUIRE(store.get("ns/a"));
  CHECK(*store.get("ns/a") == first);
  CHECK(store.list() == std::vector<Json>{first});

  Json second = first;
  second["metadata"]["resourceVersion"] = Json::string("2");
  second["status"] = Json::object();
  auto delta = store.apply(WatchEvent::Type::kModified, second);
  REQUIRE(delta);
  CHECK(delta->old_object == first);
  CHECK(delta->object == second);
  CHECK(*store.get("ns/a") == second);
  auto deltas = store.replace({});
  REQUIRE(deltas.size() == 1);
  CHECK(deltas[0].object == second);
}
