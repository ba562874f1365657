#include "operator/integration/api_server_fixture.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <catch2/catch.hpp>

#include "kube/config.h"

namespace schemagate::testing {
namespace {

const char* const kMigrationJobCrd = R"({
  "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "migrationjobs.schemagate.io"},
  "spec": {
    "group": "schemagate.io", "scope": "Namespaced",
    "names": {"plural": "migrationjobs", "singular": "migrationjob", "kind": "MigrationJob",
              "shortNames": ["mj"]},
    "versions": [{
      "name": "v1alpha1", "served": true, "storage": true,
      "subresources": {"status": {}},
      "schema": {"openAPIV3Schema": {
        "type": "object",
        "properties": {
          "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
          "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}}
    }]
  }
})";

}  // namespace

kube::ClientOptions fast_client_options() {
  kube::ClientOptions options;
  options.retry.max_attempts = 6;
  options.retry.backoff = {std::chrono::milliseconds(10), std::chrono::milliseconds(200), 2.0, 0.1};
  options.retry.max_retry_after = std::chrono::seconds(1);
  return options;
}

ApiServerFixture::ApiServerFixture() {
  KubeApiServer::Options options;
  options.state_dir = dir.path() / "state";
  options.bookmark_interval = std::chrono::milliseconds(200);
  auto started = KubeApiServer::start(options);
  INFO((started ? std::string() : started.error().message()));
  REQUIRE(started.ok());
  server = std::move(*started);
  auto config = kube::load_kubeconfig({server->kubeconfig()});
  INFO((config ? std::string() : config.error().message()));
  REQUIRE(config.ok());
  auto created = kube::Client::create(*config, fast_client_options());
  REQUIRE(created.ok());
  client = std::move(*created);
  kube::ResourceRef crds{"apiextensions.k8s.io", "v1", "customresourcedefinitions", false};
  auto crd = client->create(crds, "", kube::Json::parse(kMigrationJobCrd));
  INFO((crd ? std::string() : crd.error().message()));
  REQUIRE(crd.ok());
}

kube::Json migration_job(const std::string& ns, const std::string& name,
                         const std::string& image) {
  kube::Json job = kube::Json::parse(
      R"({"apiVersion":"schemagate.io/v1alpha1","kind":"MigrationJob","metadata":{},)"
      R"("spec":{"migrationsDir":"/migrations","target":"heads"}})");
  job["metadata"]["namespace"] = kube::Json::string(ns);
  job["metadata"]["name"] = kube::Json::string(name);
  job["spec"]["image"] = kube::Json::string(image);
  return job;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace schemagate::testing
