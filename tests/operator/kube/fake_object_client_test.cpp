#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "support/fake_object_client.h"

using namespace schemagate;
using kube::ErrorKind;
using kube::Json;
using testing::FakeObjectClient;

namespace {

const kube::ResourceRef kThings{"example.com", "v1", "things", true};

Json thing(const std::string& name, const std::string& extra = "") {
  return Json::parse(R"({"metadata": {"name": ")" + name + R"(", "labels": {"app": "a"}})" +
                     extra + "}");
}

}  // namespace

TEST_CASE("the fake answers as an API server does", "[fake-client]") {
  FakeObjectClient api;
  auto created = api.create(kThings, "ns", thing("one", R"(, "spec": {"x": 1})"));
  REQUIRE(created);
  CHECK(kube::namespace_of(*created) == "ns");
  CHECK(kube::integer_at(*created, {"metadata", "generation"}) == 1);
  CHECK(api.create(kThings, "ns", thing("one")).error().kind() == ErrorKind::kAlreadyExists);
  CHECK(api.get(kThings, "ns", "two").error().kind() == ErrorKind::kNotFound);

  // A write with a stale resourceVersion conflicts; a spec change is a new generation.
  Json changed = *created;
  changed["spec"]["x"] = Json::number(2);
  auto updated = api.update(kThings, changed);
  REQUIRE(updated);
  CHECK(kube::integer_at(*updated, {"metadata", "generation"}) == 2);
  CHECK(api.update(kThings, changed).error().kind() == ErrorKind::kConflict);

  // Only status changes through the status subresource, and only there.
  Json with_status = *updated;
  with_status["status"]["phase"] = Json::string("Done");
  with_status["spec"]["x"] = Json::number(3);
  auto status = api.update_status(kThings, with_status);
  REQUIRE(status);
  CHECK(kube::integer_at(*status, {"spec", "x"}) == 2);
  CHECK(kube::string_at(*status, {"status", "phase"}) == "Done");

  auto patched = api.merge_patch(kThings, "ns", "one",
                                 Json::parse(R"({"metadata": {"labels": {"app": null}}})"));
  REQUIRE(patched);
  CHECK(kube::string_at(*patched, {"metadata", "labels", "app"}).empty());
  CHECK(kube::string_at(*patched, {"status", "phase"}) == "Done");
  CHECK(api.merge_patch(kThings, "ns", "one",
                        Json::parse(R"({"metadata": {"resourceVersion": "1"}})"))
            .error()
            .kind() == ErrorKind::kConflict);
}

TEST_CASE("the fake lists by namespace, label and name", "[fake-client]") {
  FakeObjectClient api;
  REQUIRE(api.create(kThings, "a", thing("one")));
  REQUIRE(api.create(kThings, "b", thing("two")));
  CHECK(api.list(kThings, "", {})->items.size() == 2);
  CHECK(api.list(kThings, "a", {})->items.size() == 1);
  kube::ListOptions by_label;
  by_label.label_selector = "app=b";
  CHECK(api.list(kThings, "", by_label)->items.empty());
  kube::ListOptions by_name;
  by_name.field_selector = "metadata.name=two";
  REQUIRE(api.list(kThings, "", by_name)->items.size() == 1);
}

TEST_CASE("the fake keeps a deleted object while it has finalizers, and fails on request",
          "[fake-client]") {
  FakeObjectClient api;
  auto created = api.create(
      kThings, "ns",
      Json::parse(R"({"metadata": {"name": "one", "finalizers": ["example.com/keep"]}})"));
  REQUIRE(created);
  REQUIRE(api.remove(kThings, "ns", "one"));
  auto deleting = api.get(kThings, "ns", "one");
  REQUIRE(deleting);
  CHECK(kube::find_path(*deleting, {"metadata", "deletionTimestamp"}));
  Json done = *deleting;
  done["metadata"]["finalizers"] = Json::array();
  REQUIRE(api.update(kThings, done));
  CHECK(api.get(kThings, "ns", "one").error().kind() == ErrorKind::kNotFound);

  api.fail_next(FakeObjectClient::Verb::kCreate, "things", ErrorKind::kServerError);
  CHECK(api.create(kThings, "ns", thing("two")).error().kind() == ErrorKind::kServerError);
  CHECK(api.create(kThings, "ns", thing("two")));
  CHECK(api.writes().size() == 5);
}
