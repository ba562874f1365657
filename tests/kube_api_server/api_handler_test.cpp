#include "api_handler.h"

#include <catch2/catch.hpp>

namespace schemagate::testing::kube {

TEST_CASE("query strings decode as Go encodes them", "[kube-api][handler]") {
  auto query = parse_query("labelSelector=tier+in+%28db%2Cweb%29&watch=1&empty");
  CHECK(query["labelSelector"] == "tier in (db,web)");
  CHECK(query["watch"] == "1");
  CHECK(query.count("empty") == 1);
}

TEST_CASE("paths route as on the real server", "[kube-api][handler]") {
  ObjectStore store(100);
  ApiHandler handler(store, "127.0.0.1:6443");
  auto get = [&](const std::string& path) {
    ApiRequest request;
    request.method = "GET";
    request.path = path;
    return handler.handle(request);
  };
  CHECK(get("/api/v1/namespaces/default").body.at("kind").as_string() == "Namespace");
  CHECK(get("/api/v1/namespaces/default/status").body.at("status").at("phase").as_string() ==
        "Active");
  CHECK(get("/api/v1/namespaces").body.at("items").size() == 4);
  CHECK(get("/api/v1/namespaces/default/configmaps").body.at("kind").as_string() ==
        "ConfigMapList");
  CHECK(get("/apis/apps/v1/deployments").status == 200);
  CHECK(get("/apis/apps/v1/namespaces/default/nothings").status == 404);
  CHECK(get("/api/v1/namespaces/default/namespaces").status == 404);
  CHECK(get("/apis/apps").body.at("preferredVersion").at("groupVersion").as_string() ==
        "apps/v1");
  CHECK(get("/openapi/v2").status == 404);
  ApiRequest post;
  post.method = "POST";
  post.path = "/api/v1/namespaces/default/configmaps/x";
  post.body = "{}";
  CHECK(handler.handle(post).status == 405);
  post.path = "/api/v1/namespaces/default/configmaps";
  post.body = "{not json";
  CHECK(handler.handle(post).status == 400);
}

}  // namespace schemagate::testing::kube
