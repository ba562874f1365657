#include "operator/integration/api_server_fixture.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include "kube/config.h"
#include "support/process.h"

namespace schemagate::testing {
namespace {

// YAML as the API server would read it: quoted scalars stay strings, plain
// ones become booleans or numbers where they read as such.
kube::Json json_from_yaml(const YAML::Node& node) {
  if (node.IsMap()) {
    kube::Json object = kube::Json::object();
    for (const auto& entry : node) object[entry.first.as<std::string>()] = json_from_yaml(entry.second);
    return object;
  }
  if (node.IsSequence()) {
    std::vector<kube::Json> items;
    for (const auto& item : node) items.push_back(json_from_yaml(item));
    return kube::Json::array(items);
  }
  if (!node.IsScalar()) return kube::Json::null();
  const std::string text = node.Scalar();
  if (node.Tag() == "!") return kube::Json::string(text);
  if (text == "true" || text == "false") return kube::Json::boolean(text == "true");
  if (!text.empty() && text.find_first_not_of("-0123456789") == std::string::npos) {
    return kube::Json::number(static_cast<int64_t>(std::stoll(text)));
  }
  return kube::Json::string(text);
}

// The CRD users install, so that its schema (pruning, defaults, required
// fields) applies to every object the tests and the operator write.
kube::Json migration_job_crd() {
  return json_from_yaml(
      YAML::LoadFile(source_dir() + "/deploy/crds/schemagate.io_migrationjobs.yaml"));
}

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
  auto crd = client->create(crds, "", migration_job_crd());
  INFO((crd ? std::string() : crd.error().message()));
  REQUIRE(crd.ok());
}

kube::Json migration_job(const std::string& ns, const std::string& name,
                         const std::string& image) {
  kube::Json job = kube::Json::parse(
      R"({"apiVersion":"schemagate.io/v1alpha1","kind":"MigrationJob","metadata":{},)"
      R"("spec":{"migrationsDir":"/migrations","target":"heads",)"
      R"("database":{"urlSecretRef":{"name":"db","key":"url"}}}})");
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
