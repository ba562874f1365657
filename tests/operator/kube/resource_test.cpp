#include <catch2/catch.hpp>

#include "kube/object.h"
#include "kube/resource.h"

using namespace schemagate::kube;

TEST_CASE("paths for core, group, namespaced and cluster-scoped resources", "[kube]") {
  ResourceRef pods{"", "v1", "pods", true};
  ResourceRef jobs{"schemagate.io", "v1alpha1", "migrationjobs", true};
  ResourceRef crds{"apiextensions.k8s.io", "v1", "customresourcedefinitions", false};
  CHECK(collection_path(pods, "shop") == "/api/v1/namespaces/shop/pods");
  CHECK(collection_path(pods, "") == "/api/v1/pods");
  CHECK(object_path(jobs, "shop", "migrate") ==
        "/apis/schemagate.io/v1alpha1/namespaces/shop/migrationjobs/migrate");
  CHECK(object_path(jobs, "shop", "migrate", "status") ==
        "/apis/schemagate.io/v1alpha1/namespaces/shop/migrationjobs/migrate/status");
  CHECK(object_path(crds, "ignored", "x") ==
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x");
  CHECK(jobs.api_version() == "schemagate.io/v1alpha1");
  CHECK(pods.api_version() == "v1");
}

TEST_CASE("list and watch query strings are encoded", "[kube]") {
  ListOptions list;
  list.label_selector = "app=shop,tier in (web)";
  list.limit = 50;
  list.continue_token = "abc=";
  CHECK(query_string(list) ==
        "?labelSelector=app%3Dshop%2Ctier%20in%20%28web%29&limit=50&continue=abc%3D");
  CHECK(query_string(ListOptions{}) == "");
  WatchOptions watch;
  watch.resource_version = "42";
  watch.field_selector = "metadata.name=x";
  CHECK(query_string(watch) ==
        "?watch=true&fieldSelector=metadata.name%3Dx&resourceVersion=42&allowWatchBookmarks=true");
}

TEST_CASE("object keys are namespace/name", "[kube]") {
  Json object = Json::parse(R"({"metadata":{"namespace":"shop","name":"m","resourceVersion":"9"}})");
  CHECK(object_key(object) == "shop/m");
  CHECK(resource_version_of(object) == "9");
  CHECK(object_key(Json::parse(R"({"metadata":{"name":"cluster-wide"}})")) == "cluster-wide");
  CHECK(split_key("shop/m") == std::pair<std::string, std::string>{"shop", "m"});
  CHECK(split_key("m") == std::pair<std::string, std::string>{"", "m"});
}
