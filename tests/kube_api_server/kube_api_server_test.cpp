#include "schemagate/testing/kube_api_server.h"

#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "support/temp_dir.h"
#include "test_client.h"

namespace schemagate::testing {
namespace {

using web::json::value;

const char* const kConfigMaps = "/api/v1/namespaces/default/configmaps";
const char* const kDeployments = "/apis/apps/v1/namespaces/default/deployments";
const char* const kWidgets = "/apis/example.com/v1/namespaces/default/widgets";

struct Server {
  explicit Server(std::chrono::milliseconds bookmark_interval = std::chrono::seconds(60)) {
    KubeApiServer::Options options;
    options.state_dir = dir.path() / "state";
    options.bookmark_interval = bookmark_interval;
    auto started = KubeApiServer::start(options);
    REQUIRE(started.ok());
    server = std::move(started.value());
    client = std::make_unique<TestClient>(*server);
  }
  ~Server() { server->stop(); }

  TempDir dir;
  std::unique_ptr<KubeApiServer> server;
  std::unique_ptr<TestClient> client;
};

std::string text_of(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string rv_of(const value& object) {
  return object.at("metadata").at("resourceVersion").as_string();
}

int64_t generation_of(const value& object) {
  return object.at("metadata").at("generation").as_number().to_int64();
}

value config_map(const std::string& name, const std::string& labels = "{}") {
  value result = object("v1", "ConfigMap", name);
  result["metadata"]["labels"] = json(labels);
  result["data"]["key"] = value::string("one");
  return result;
}

value deployment(const std::string& name) {
  return json(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":")" + name +
              R"("},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":)"
              R"({"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"web:1"}]}}}})");
}

const char* const kWidgetCrd = R"({
  "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "widgets.example.com"},
  "spec": {
    "group": "example.com", "scope": "Namespaced",
    "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
    "versions": [{
      "name": "v1", "served": true, "storage": true,
      "subresources": {"status": {}},
      "schema": {"openAPIV3Schema": {
        "type": "object",
        "properties": {
          "spec": {"type": "object", "required": ["size"], "properties": {
            "size": {"type": "integer"},
            "color": {"type": "string", "enum": ["red", "blue"], "default": "red"}}},
          "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}}}
    }]
  }
})";

value widget(const std::string& name, int size) {
  value result = object("example.com/v1", "Widget", name);
  result["spec"]["size"] = value::number(size);
  return result;
}

void create_widget_crd(TestClient& client) {
  REQUIRE(client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json(kWidgetCrd))
              .status == 201);
}

}  // namespace

TEST_CASE("serves HTTPS with a bearer token and writes a kubeconfig", "[kube-api]") {
  Server s;
  CHECK(s.server->url().rfind("https://127.0.0.1:", 0) == 0);
  std::string kubeconfig = text_of(s.server->kubeconfig());
  CHECK(kubeconfig.find("server: " + s.server->url()) != std::string::npos);
  CHECK(kubeconfig.find("token: " + s.server->token()) != std::string::npos);
  CHECK(kubeconfig.find("certificate-authority-data: ") != std::string::npos);
  CHECK(kubeconfig.find("current-context: schemagate-test") != std::string::npos);
  CHECK(text_of(s.dir.path() / "state" / "token") == s.server->token());

  TestClient stranger(*s.server, "wrong");
  auto denied = stranger.get("/api/v1/namespaces");
  CHECK(denied.status == 401);
  CHECK(denied.body.at("kind").as_string() == "Status");
  CHECK(denied.body.at("reason").as_string() == "Unauthorized");

  auto version = s.client->get("/version");
  CHECK(version.status == 200);
  CHECK(version.body.at("major").as_string() == "1");
}

TEST_CASE("discovery lists built-ins and the resources of created CRDs", "[kube-api]") {
  Server s;
  auto core = s.client->get("/api/v1");
  REQUIRE(core.status == 200);
  bool found_pods = false;
  for (const auto& resource : core.body.at("resources").as_array()) {
    if (resource.at("name").as_string() == "pods") {
      found_pods = true;
      CHECK(resource.at("namespaced").as_bool());
      CHECK(resource.at("kind").as_string() == "Pod");
      CHECK(resource.at("shortNames").at(0).as_string() == "po");
    }
  }
  CHECK(found_pods);
  CHECK(s.client->get("/api").body.at("versions").at(0).as_string() == "v1");
  CHECK(s.client->get("/apis/batch/v1").body.at("resources").at(1).at("name").as_string() ==
        "jobs/status");
  CHECK(s.client->get("/apis/example.com/v1").status == 404);

  create_widget_crd(*s.client);
  auto custom = s.client->get("/apis/example.com/v1");
  REQUIRE(custom.status == 200);
  CHECK(custom.body.at("resources").at(0).at("kind").as_string() == "Widget");
  CHECK(custom.body.at("resources").at(0).at("shortNames").at(0).as_string() == "wd");
  CHECK(custom.body.at("resources").at(1).at("name").as_string() == "widgets/status");
  std::string groups = s.client->get("/apis").body.serialize();
  CHECK(groups.find("\"example.com/v1\"") != std::string::npos);
  auto crd = s.client->get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
  CHECK(crd.body.at("status").at("conditions").at(1).at("type").as_string() == "Established");
}

TEST_CASE("create, get, update and delete answer as the real server", "[kube-api]") {
  Server s;
  auto created = s.client->post(kConfigMaps, config_map("settings"));
  REQUIRE(created.status == 201);
  CHECK(created.body.at("metadata").at("uid").as_string().size() == 36);
  CHECK(created.body.at("metadata").at("namespace").as_string() == "default");
  CHECK(!created.body.at("metadata").at("creationTimestamp").as_string().empty());

  auto again = s.client->post(kConfigMaps, config_map("settings"));
  CHECK(again.status == 409);
  CHECK(again.body.at("reason").as_string() == "AlreadyExists");
  CHECK(again.body.at("message").as_string() == "configmaps \"settings\" already exists");
  CHECK(again.body.at("details").at("kind").as_string() == "configmaps");

  value changed = created.body;
  changed["data"]["key"] = value::string("two");
  auto updated = s.client->put(std::string(kConfigMaps) + "/settings", changed);
  REQUIRE(updated.status == 200);
  CHECK(std::stoull(rv_of(updated.body)) > std::stoull(rv_of(created.body)));

  auto stale = s.client->put(std::string(kConfigMaps) + "/settings", changed);
  CHECK(stale.status == 409);
  CHECK(stale.body.at("reason").as_string() == "Conflict");
  CHECK(stale.body.at("message").as_string() ==
        "Operation cannot be fulfilled on configmaps \"settings\": the object has been modified; "
        "please apply your changes to the latest version and try again");

  auto removed = s.client->del(std::string(kConfigMaps) + "/settings");
  CHECK(removed.status == 200);
  auto missing = s.client->get(std::string(kConfigMaps) + "/settings");
  CHECK(missing.status == 404);
  CHECK(missing.body.at("reason").as_string() == "NotFound");
  CHECK(missing.body.at("message").as_string() == "configmaps \"settings\" not found");
  CHECK(missing.body.at("code").as_integer() == 404);

  auto deployment_missing = s.client->get(std::string(kDeployments) + "/nope");
  CHECK(deployment_missing.body.at("message").as_string() == "deployments.apps \"nope\" not found");
  CHECK(deployment_missing.body.at("details").at("group").as_string() == "apps");
}

TEST_CASE("a Secret's stringData is folded into data, base64 encoded", "[kube-api]") {
  Server s;
  const std::string secrets = "/api/v1/namespaces/default/secrets";
  value secret = object("v1", "Secret", "db");
  secret["data"]["user"] = value::string("c2hvcA==");
  secret["data"]["url"] = value::string("b2xk");
  secret["stringData"]["url"] = value::string("postgresql://db/shop");
  auto created = s.client->post(secrets, secret);
  REQUIRE(created.status == 201);
  CHECK(created.body == s.client->get(secrets + "/db").body);
  CHECK(!created.body.has_field("stringData"));
  CHECK(created.body.at("data") == json(R"({"url":"cG9zdGdyZXNxbDovL2RiL3Nob3A=","user":"c2hvcA=="})"));

  auto patched = s.client->patch(secrets + "/db", json(R"({"stringData":{"user":"admin"}})"));
  REQUIRE(patched.status == 200);
  CHECK(!patched.body.has_field("stringData"));
  CHECK(patched.body.at("data").at("user").as_string() == "YWRtaW4=");
}

TEST_CASE("objects in a namespace that does not exist are refused", "[kube-api]") {
  Server s;
  auto refused = s.client->post("/api/v1/namespaces/nowhere/configmaps", config_map("x"));
  CHECK(refused.status == 404);
  CHECK(refused.body.at("message").as_string() == "namespaces \"nowhere\" not found");
  CHECK(s.client->get("/api/v1/namespaces/kube-system").status == 200);
  CHECK(s.client->post("/api/v1/namespaces", object("v1", "Namespace", "shop")).status == 201);
  CHECK(s.client->post("/api/v1/namespaces/shop/configmaps", config_map("x")).status == 201);
}

TEST_CASE("generation follows spec changes only", "[kube-api]") {
  Server s;
  const std::string path = std::string(kDeployments) + "/web";
  auto created = s.client->post(kDeployments, deployment("web"));
  REQUIRE(created.status == 201);
  CHECK(generation_of(created.body) == 1);
  CHECK(created.body.at("spec").at("replicas").as_integer() == 1);  // defaulted

  auto labelled = s.client->patch(path, json(R"({"metadata":{"labels":{"tier":"front"}}})"));
  CHECK(generation_of(labelled.body) == 1);
  CHECK(rv_of(labelled.body) != rv_of(created.body));

  auto noop = s.client->patch(path, json(R"({"metadata":{"labels":{"tier":"front"}}})"));
  CHECK(rv_of(noop.body) == rv_of(labelled.body));

  auto status_through_main = s.client->patch(path, json(R"({"status":{"replicas":5}})"));
  CHECK(!status_through_main.body.has_field("status"));
  CHECK(generation_of(status_through_main.body) == 1);

  auto scaled = s.client->patch(path, json(R"({"spec":{"replicas":3}})"));
  CHECK(generation_of(scaled.body) == 2);

  auto status = s.client->patch(path + "/status", json(R"({"status":{"observedGeneration":2}})"));
  REQUIRE(status.status == 200);
  CHECK(status.body.at("status").at("observedGeneration").as_integer() == 2);
  CHECK(generation_of(status.body) == 2);
  auto spec_through_status = s.client->patch(path + "/status", json(R"({"spec":{"replicas":9}})"));
  CHECK(spec_through_status.body.at("spec").at("replicas").as_integer() == 3);

  value full = s.client->get(path + "/status").body;
  full["status"]["readyReplicas"] = value::number(3);
  auto put_status = s.client->put(path + "/status", full);
  CHECK(put_status.status == 200);
  CHECK(put_status.body.at("status").at("readyReplicas").as_integer() == 3);
  CHECK(s.client->get("/api/v1/namespaces/default/configmaps/x/status").status == 404);
}

TEST_CASE("custom resources follow their CRD's schema and rules", "[kube-api]") {
  Server s;
  create_widget_crd(*s.client);
  auto created = s.client->post(kWidgets, widget("small", 1));
  REQUIRE(created.status == 201);
  CHECK(created.body.at("spec").at("color").as_string() == "red");  // schema default
  CHECK(generation_of(created.body) == 1);

  value unknown = widget("pruned", 2);
  unknown["spec"]["flavour"] = value::string("lemon");
  CHECK(!s.client->post(kWidgets, unknown).body.at("spec").has_field("flavour"));

  value no_size = object("example.com/v1", "Widget", "bad");
  no_size["spec"] = value::object();
  auto missing = s.client->post(kWidgets, no_size);
  CHECK(missing.status == 422);
  CHECK(missing.body.at("reason").as_string() == "Invalid");
  CHECK(missing.body.at("message").as_string() ==
        "Widget.example.com \"bad\" is invalid: spec.size: Required value");
  value wrong_color = widget("bad", 1);
  wrong_color["spec"]["color"] = value::string("green");
  auto not_supported = s.client->post(kWidgets, wrong_color);
  CHECK(not_supported.status == 422);
  CHECK(not_supported.body.at("details").at("causes").at(0).at("field").as_string() ==
        "spec.color");

  const std::string path = std::string(kWidgets) + "/small";
  value unconditional = widget("small", 5);
  CHECK(s.client->put(path, unconditional).status == 422);
  CHECK(s.client->patch(path, json(R"({"spec":{"size":5}})"),
                        "application/strategic-merge-patch+json").status == 415);
  auto grown = s.client->patch(path, json(R"({"spec":{"size":5}})"));
  CHECK(generation_of(grown.body) == 2);
  auto phase = s.client->patch(path + "/status", json(R"({"status":{"phase":"Ready"}})"));
  CHECK(phase.body.at("status").at("phase").as_string() == "Ready");
  CHECK(generation_of(phase.body) == 2);
  auto json_patched = s.client->patch(
      path, json(R"([{"op":"test","path":"/spec/size","value":5},{"op":"replace","path":"/spec/size","value":6}])"),
      "application/json-patch+json");
  CHECK(json_patched.body.at("spec").at("size").as_integer() == 6);

  CHECK(s.client->del("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
            .status == 200);
  CHECK(s.client->get(path).status == 404);
  CHECK(s.client->get("/apis/example.com/v1").status == 404);
}

TEST_CASE("watch replays from a resourceVersion and streams changes", "[kube-api]") {
  Server s;
  auto first = s.client->post(kConfigMaps, config_map("first"));
  std::string from = rv_of(first.body);
  s.client->post(kConfigMaps, config_map("second"));

  auto watch = s.client->watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" + from);
  REQUIRE(watch->status() == 200);
  auto replayed = watch->next();
  REQUIRE(replayed);
  CHECK(replayed->at("type").as_string() == "ADDED");
  CHECK(replayed->at("object").at("metadata").at("name").as_string() == "second");
  CHECK(replayed->at("object").at("kind").as_string() == "ConfigMap");

  s.client->patch(std::string(kConfigMaps) + "/first", json(R"({"data":{"key":"new"}})"));
  auto modified = watch->next();
  REQUIRE(modified);
  CHECK(modified->at("type").as_string() == "MODIFIED");
  s.client->del(std::string(kConfigMaps) + "/first");
  auto deleted = watch->next();
  REQUIRE(deleted);
  CHECK(deleted->at("type").as_string() == "DELETED");

  auto from_now = s.client->watch(std::string(kConfigMaps) + "?watch=true");
  auto existing = from_now->next();
  REQUIRE(existing);
  CHECK(existing->at("type").as_string() == "ADDED");
  CHECK(existing->at("object").at("metadata").at("name").as_string() == "second");

  auto timed = s.client->watch(std::string(kConfigMaps) + "?watch=1&timeoutSeconds=1&resourceVersion=" +
                               rv_of(deleted->at("object")));
  CHECK(timed->wait_closed(std::chrono::seconds(5)));
}

TEST_CASE("watch from a compacted resourceVersion gets 410 Expired", "[kube-api]") {
  Server s;
  auto created = s.client->post(kConfigMaps, config_map("old"));
  s.client->patch(std::string(kConfigMaps) + "/old", json(R"({"data":{"key":"x"}})"));
  s.server->compact();
  auto watch = s.client->watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" +
                               rv_of(created.body));
  CHECK(watch->status() == 200);
  auto error = watch->next();
  REQUIRE(error);
  CHECK(error->at("type").as_string() == "ERROR");
  CHECK(error->at("object").at("code").as_integer() == 410);
  CHECK(error->at("object").at("reason").as_string() == "Expired");
  CHECK(watch->wait_closed());
}

TEST_CASE("history beyond its limit expires old resourceVersions", "[kube-api]") {
  TempDir dir;
  KubeApiServer::Options options;
  options.state_dir = dir.path();
  options.history_limit = 3;
  auto server = KubeApiServer::start(options);
  REQUIRE(server.ok());
  TestClient client(**server);
  std::string first = rv_of(client.post(kConfigMaps, config_map("a")).body);
  for (const char* name : {"b", "c", "d", "e"}) client.post(kConfigMaps, config_map(name));
  auto watch = client.watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" + first);
  auto error = watch->next();
  REQUIRE(error);
  CHECK(error->at("object").at("code").as_integer() == 410);
  (*server)->stop();
}

TEST_CASE("watches receive bookmarks with the current resourceVersion", "[kube-api]") {
  Server s(std::chrono::milliseconds(200));
  auto created = s.client->post(kConfigMaps, config_map("a"));
  auto watch = s.client->watch(std::string(kConfigMaps) +
                               "?watch=1&allowWatchBookmarks=true&resourceVersion=" +
                               rv_of(created.body));
  auto bookmark = watch->next(std::chrono::seconds(3));
  REQUIRE(bookmark);
  CHECK(bookmark->at("type").as_string() == "BOOKMARK");
  CHECK(bookmark->at("object").at("kind").as_string() == "ConfigMap");
  CHECK(rv_of(bookmark->at("object")) == rv_of(created.body));

  auto plain = s.client->watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" +
                               rv_of(created.body));
  CHECK(!plain->next(std::chrono::milliseconds(600)));
}

TEST_CASE("label and field selectors filter lists and watches", "[kube-api]") {
  Server s;
  s.client->post(kConfigMaps, config_map("a", R"({"app":"shop","tier":"db"})"));
  s.client->post(kConfigMaps, config_map("b", R"({"app":"shop","tier":"web"})"));
  s.client->post(kConfigMaps, config_map("c", R"({"app":"blog"})"));
  auto names = [&](const std::string& query) {
    auto listed = s.client->get(std::string(kConfigMaps) + "?" + query);
    std::string result;
    for (const auto& item : listed.body.at("items").as_array()) {
      result += item.at("metadata").at("name").as_string();
    }
    return result;
  };
  CHECK(names("labelSelector=app%3Dshop") == "ab");
  CHECK(names("labelSelector=app%3D%3Dshop,tier!%3Ddb") == "b");
  CHECK(names("labelSelector=tier+in+(db,web)") == "ab");
  CHECK(names("labelSelector=tier%20notin%20(db)") == "bc");
  CHECK(names("labelSelector=tier") == "ab");
  CHECK(names("labelSelector=!tier") == "c");
  CHECK(names("fieldSelector=metadata.name%3Db") == "b");
  CHECK(names("fieldSelector=metadata.name!%3Db,metadata.namespace%3Ddefault") == "ac");
  auto bad = s.client->get(std::string(kConfigMaps) + "?fieldSelector=spec.x%3D1");
  CHECK(bad.status == 400);
  CHECK(bad.body.at("message").as_string() == "field label not supported: spec.x");
  CHECK(s.client->get("/api/v1/configmaps?labelSelector=app%3Dshop").body.at("items").size() == 2);

  auto watch = s.client->watch(std::string(kConfigMaps) + "?watch=1&labelSelector=app%3Dshop&resourceVersion=" +
                               rv_of(s.client->get(kConfigMaps).body));
  s.client->patch(std::string(kConfigMaps) + "/c", json(R"({"metadata":{"labels":{"app":"shop"}}})"));
  s.client->patch(std::string(kConfigMaps) + "/a", json(R"({"metadata":{"labels":{"app":"gone"}}})"));
  auto entered = watch->next();
  REQUIRE(entered);
  CHECK(entered->at("type").as_string() == "ADDED");
  auto left = watch->next();
  REQUIRE(left);
  CHECK(left->at("type").as_string() == "DELETED");
  CHECK(left->at("object").at("metadata").at("name").as_string() == "a");
}

TEST_CASE("lists paginate with limit and continue", "[kube-api]") {
  Server s;
  for (const char* name : {"a", "b", "c", "d", "e"}) s.client->post(kConfigMaps, config_map(name));
  auto page = s.client->get(std::string(kConfigMaps) + "?limit=2");
  REQUIRE(page.body.at("items").size() == 2);
  CHECK(page.body.at("kind").as_string() == "ConfigMapList");
  CHECK(page.body.at("metadata").at("remainingItemCount").as_integer() == 3);
  std::string names;
  std::string token = page.body.at("metadata").at("continue").as_string();
  for (const auto& item : page.body.at("items").as_array()) names += item.at("metadata").at("name").as_string();
  while (!token.empty()) {
    auto next = s.client->get(std::string(kConfigMaps) + "?limit=2&continue=" +
                              web::uri::encode_data_string(token));
    REQUIRE(next.status == 200);
    for (const auto& item : next.body.at("items").as_array()) names += item.at("metadata").at("name").as_string();
    token = next.body.at("metadata").has_field("continue")
                ? next.body.at("metadata").at("continue").as_string()
                : "";
  }
  CHECK(names == "abcde");

  s.client->post(kConfigMaps, config_map("f"));
  s.server->compact();
  auto expired = s.client->get(std::string(kConfigMaps) + "?limit=2&continue=" +
                               web::uri::encode_data_string(page.body.at("metadata").at("continue").as_string()));
  CHECK(expired.status == 410);
  CHECK(expired.body.at("reason").as_string() == "Expired");
}

TEST_CASE("finalizers hold a deleted object until they are removed", "[kube-api]") {
  Server s;
  value held = config_map("held");
  held["metadata"]["finalizers"] = json(R"(["schemagate.io/cleanup"])");
  s.client->post(kConfigMaps, held);
  const std::string path = std::string(kConfigMaps) + "/held";
  auto deleting = s.client->del(path);
  CHECK(deleting.status == 200);
  CHECK(deleting.body.at("metadata").has_field("deletionTimestamp"));
  auto still = s.client->get(path);
  REQUIRE(still.status == 200);
  auto watch = s.client->watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" + rv_of(still.body));
  auto released = s.client->patch(path, json(R"({"metadata":{"finalizers":null}})"));
  CHECK(released.status == 200);
  CHECK(s.client->get(path).status == 404);
  auto event = watch->next();
  REQUIRE(event);
  CHECK(event->at("type").as_string() == "DELETED");
}

TEST_CASE("deleting an owner collects its dependents", "[kube-api]") {
  Server s;
  auto owner = s.client->post(kConfigMaps, config_map("owner"));
  value reference = value::object();
  reference["apiVersion"] = value::string("v1");
  reference["kind"] = value::string("ConfigMap");
  reference["name"] = value::string("owner");
  reference["uid"] = owner.body.at("metadata").at("uid");
  value dependent = config_map("dependent");
  dependent["metadata"]["ownerReferences"] = value::array({reference});
  s.client->post(kConfigMaps, dependent);
  value kept = config_map("kept");
  kept["metadata"]["ownerReferences"] = value::array({reference});
  s.client->post(kConfigMaps, kept);

  SECTION("background") {
    s.client->del(std::string(kConfigMaps) + "/owner");
    CHECK(s.client->get(std::string(kConfigMaps) + "/dependent").status == 404);
  }
  SECTION("orphan") {
    s.client->del(std::string(kConfigMaps) + "/owner", json(R"({"propagationPolicy":"Orphan"})"));
    auto orphan = s.client->get(std::string(kConfigMaps) + "/dependent");
    REQUIRE(orphan.status == 200);
    CHECK(!orphan.body.at("metadata").has_field("ownerReferences"));
  }
}

TEST_CASE("deleting a namespace deletes what it holds", "[kube-api]") {
  Server s;
  s.client->post("/api/v1/namespaces", object("v1", "Namespace", "shop"));
  s.client->post("/api/v1/namespaces/shop/configmaps", config_map("x"));
  CHECK(s.client->del("/api/v1/namespaces/shop").status == 200);
  CHECK(s.client->get("/api/v1/namespaces/shop/configmaps/x").status == 404);
  CHECK(s.client->get("/api/v1/namespaces/shop").status == 404);
}

TEST_CASE("injected faults: failures, 429 with Retry-After, latency, closed watches", "[kube-api]") {
  Server s;
  s.server->fail_next(2, 429, 3);
  auto throttled = s.client->get(kConfigMaps);
  CHECK(throttled.status == 429);
  CHECK(throttled.retry_after == "3");
  CHECK(throttled.body.at("reason").as_string() == "TooManyRequests");
  CHECK(throttled.body.at("details").at("retryAfterSeconds").as_integer() == 3);
  CHECK(s.client->get(kConfigMaps).status == 429);
  CHECK(s.client->get(kConfigMaps).status == 200);

  s.server->fail_next(1, 500);
  auto failed = s.client->post(kConfigMaps, config_map("a"));
  CHECK(failed.status == 500);
  CHECK(failed.body.at("reason").as_string() == "InternalError");
  CHECK(s.client->get(std::string(kConfigMaps) + "/a").status == 404);

  CHECK(s.client->post("/_test/faults", json(R"({"failNext":1,"status":500})")).status == 200);
  CHECK(s.client->get(kConfigMaps).status == 500);
  CHECK(s.client->get(kConfigMaps).status == 200);

  s.client->post("/_test/faults", json(R"({"latencyMs":300})"));
  auto before = std::chrono::steady_clock::now();
  s.client->get(kConfigMaps);
  CHECK(std::chrono::steady_clock::now() - before >= std::chrono::milliseconds(300));
  s.server->set_latency(std::chrono::milliseconds(0));

  auto watch = s.client->watch(std::string(kConfigMaps) + "?watch=1");
  auto other = s.client->watch("/apis/apps/v1/deployments?watch=1");
  CHECK(s.server->open_watch_count() == 2);
  s.client->post("/_test/faults", json(R"({"closeWatches":true})"));
  CHECK(watch->wait_closed());
  CHECK(other->wait_closed());
  CHECK(s.server->open_watch_count() == 0);

  auto created = s.client->post(kConfigMaps, config_map("b"));
  s.client->patch(std::string(kConfigMaps) + "/b", json(R"({"data":{"key":"x"}})"));
  s.client->post("/_test/faults", json(R"({"compact":true})"));
  auto expired = s.client->watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" + rv_of(created.body));
  auto error = expired->next();
  REQUIRE(error);
  CHECK(error->at("object").at("code").as_integer() == 410);
}

TEST_CASE("set_job_status writes a Job's status as the Job controller would", "[kube-api]") {
  Server s;
  value job = json(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate"},
    "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"m","image":"x"}]}}}})");
  auto created = s.client->post("/apis/batch/v1/namespaces/default/jobs", job);
  REQUIRE(created.status == 201);
  CHECK(created.body.at("spec").at("backoffLimit").as_integer() == 6);
  auto watch = s.client->watch("/apis/batch/v1/namespaces/default/jobs?watch=1&resourceVersion=" +
                               rv_of(created.body));
  REQUIRE(s.server->set_job_status("default", "migrate", json(R"({"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]})")).ok());
  auto event = watch->next();
  REQUIRE(event);
  CHECK(event->at("type").as_string() == "MODIFIED");
  CHECK(event->at("object").at("status").at("succeeded").as_integer() == 1);
  CHECK(generation_of(event->at("object")) == 1);
  CHECK(!s.server->set_job_status("default", "absent", value::object()).ok());
}

TEST_CASE("the request log records every API request", "[kube-api]") {
  Server s;
  s.client->get(std::string(kConfigMaps) + "?limit=2");
  s.client->post("/_test/faults", json(R"({"latencyMs":0})"));
  s.client->watch("/apis/apps/v1/namespaces/default/deployments?watch=1&timeoutSeconds=1");
  auto log = s.server->request_log();
  REQUIRE(log.size() == 2);
  CHECK(log[0] == "GET /api/v1/namespaces/default/configmaps?limit=2");
  CHECK(log[1] == "GET /apis/apps/v1/namespaces/default/deployments?watch=1&timeoutSeconds=1");
}

TEST_CASE("the request log narrowed to the clients whose User-Agent starts with a prefix",
          "[kube-api]") {
  Server s;
  TestClient operator_client(*s.server);
  operator_client.set_user_agent("schemagate-operator");
  s.client->set_user_agent("kubectl/v1.35.0 (linux/amd64) kubernetes/66452049");
  s.client->get(kConfigMaps);
  operator_client.get(std::string(kDeployments) + "?limit=500");
  s.client->post(kConfigMaps, config_map("a"));
  const std::string operator_call = "GET " + std::string(kDeployments) + "?limit=500";
  CHECK(s.server->request_log("schemagate-operator") == std::vector<std::string>{operator_call});
  CHECK(s.server->request_log("kubectl/").size() == 2);
  CHECK(s.server->request_log().size() == 3);

  auto narrowed = s.client->get("/_test/requests?userAgent=schemagate-operator");
  REQUIRE(narrowed.status == 200);
  CHECK(narrowed.body == value::array({value::string(operator_call)}));
  // Percent-encoded as a client encodes "/".
  CHECK(s.client->get("/_test/requests?userAgent=kubectl%2Fv1").body.size() == 2);
  CHECK(s.client->get("/_test/requests?userAgent=helm").body.size() == 0);
  CHECK(s.client->get("/_test/requests").body.size() == 3);
}

}  // namespace schemagate::testing
