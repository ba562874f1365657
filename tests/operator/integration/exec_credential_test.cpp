#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include <cpprest/http_client.h>

#include "kube/config.h"
#include "kube/json_path.h"
#include "migrationjob/resources.h"
#include "operator/integration/control_plane_fixture.h"
#include "support/process.h"

using namespace std::chrono_literals;
using namespace schemagate;
using kube::Json;
using testing::ControlPlaneFixture;
using testing::eventually;
using testing::free_port;
using testing::Process;

namespace {

const kube::ResourceRef kServiceAccounts{"", "v1", "serviceaccounts", true};
const kube::ResourceRef kRoles{"rbac.authorization.k8s.io", "v1", "roles", true};
const kube::ResourceRef kRoleBindings{"rbac.authorization.k8s.io", "v1", "rolebindings", true};
const kube::ResourceRef kConfigMaps{"", "v1", "configmaps", true};

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Counts the client's answers by HTTP status.
struct Codes final : kube::RequestMetrics {
  std::mutex mutex;
  std::map<int, int> seen;
  void on_request(const std::string&, const std::string&, int code) override {
    std::lock_guard<std::mutex> lock(mutex);
    ++seen[code];
  }
  int count(int code) {
    std::lock_guard<std::mutex> lock(mutex);
    return seen[code];
  }
};

// A laptop's view of the cluster: a ServiceAccount "laptop" with the
// operator's permissions in the test namespace, and a kubeconfig whose user
// is an exec plugin that prints an ExecCredential holding a fresh token of
// that account (`kubectl create token`), counting its runs.
class ExecCluster : public ControlPlaneFixture {
 public:
  ExecCluster() {
    create_service_account();
    create(kRoles, Json::parse(R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": "laptop"},
        "rules": [
          {"apiGroups": ["schemagate.io"], "resources": ["migrationjobs"], "verbs": ["get", "list", "watch", "update"]},
          {"apiGroups": ["schemagate.io"], "resources": ["migrationjobs/status"], "verbs": ["update"]},
          {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["list", "watch", "create"]},
          {"apiGroups": [""], "resources": ["secrets"], "verbs": ["list", "watch"]},
          {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["list"]}]})"));
    Json binding = Json::parse(R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": "laptop"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "laptop"},
        "subjects": [{"kind": "ServiceAccount", "name": "laptop"}]})");
    binding["subjects"][0]["namespace"] = Json::string(ns);
    create(kRoleBindings, binding);

    runs_file = dir.path() / "exec-runs";
    info_file = dir.path() / "exec-info";
    plugin = dir.write("bin/cloud-auth",
        "#!/bin/sh\n"
        "echo run >> '" + runs_file.string() + "'\n"
        "printf '%s' \"$KUBERNETES_EXEC_INFO\" > '" + info_file.string() + "'\n"
        "token=$('" + testing::source_dir() + "/.tools/bin/kubectl' --kubeconfig '" +
        (dir.path() / "direct.kubeconfig").string() + "' -n " + ns +
        " create token laptop --duration 10m) || exit 1\n"
        "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        "\"status\":{\"token\":\"%s\"}}\\n' \"$token\"\n");
    chmod(plugin.c_str(), 0755);
    exec_kubeconfig = write_kubeconfig(
        "laptop.kubeconfig", api_server,
        "{exec: {apiVersion: client.authentication.k8s.io/v1, command: \"" + plugin.string() +
            "\", provideClusterInfo: true, interactiveMode: IfAvailable}}");
  }

  void create_service_account() {
    create(kServiceAccounts, Json::parse(
        R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "laptop"}})"));
  }

  void create(const kube::ResourceRef& ref, Json object) {
    object["metadata"]["namespace"] = Json::string(ns);
    auto created = direct->create(ref, ns, object);
    INFO((created ? std::string() : created.error().message()));
    REQUIRE(created.ok());
  }

  int runs() {
    std::string text = read_text(runs_file);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }

  std::filesystem::path plugin;
  std::filesystem::path runs_file;
  std::filesystem::path info_file;
  std::filesystem::path exec_kubeconfig;
};

std::pair<int, std::string> get(int port, const std::string& path) {
  try {
    web::http::client::http_client client("http://127.0.0.1:" + std::to_string(port));
    auto response = client.request(web::http::methods::GET, path).get();
    return {response.status_code(), response.extract_string(true).get()};
  } catch (const std::exception&) {
    return {0, ""};
  }
}

}  // namespace

TEST_CASE("exec credentials: the plugin's token authenticates, a replaced one is refused and "
          "the plugin runs again",
          "[integration][exec]") {
  ExecCluster cluster;
  auto config = kube::load_kubeconfig({cluster.exec_kubeconfig});
  INFO((config ? std::string() : config.error().message()));
  REQUIRE(config);
  REQUIRE(config->exec);
  Codes codes;
  kube::ClientOptions options = testing::fast_client_options();
  options.metrics = &codes;
  auto client = kube::Client::create(*config, options);
  REQUIRE(client);

  auto listed = (*client)->list(kConfigMaps, cluster.ns);
  INFO((listed ? std::string() : listed.error().message()));
  REQUIRE(listed);
  CHECK(cluster.runs() == 1);
  Json info = Json::parse(read_text(cluster.info_file));
  CHECK(kube::string_at(info, {"spec", "cluster", "server"}) == cluster.api_server);
  CHECK(kube::find_path(info, {"spec", "interactive"})->as_bool() == false);
  // Kept: no expirationTimestamp, nothing refused.
  REQUIRE((*client)->list(kConfigMaps, cluster.ns));
  CHECK(cluster.runs() == 1);

  // A new ServiceAccount of the same name: tokens of the old one are refused.
  REQUIRE(cluster.direct->remove(kServiceAccounts, cluster.ns, "laptop"));
  cluster.create_service_account();
  // Once the API server has seen the change, a request meets a 401, the
  // plugin runs again and the request succeeds with the new token.
  REQUIRE(eventually([&] {
    (void)(*client)->list(kConfigMaps, cluster.ns);
    return codes.count(401) >= 1;
  }));
  CHECK(cluster.runs() >= 2);
  auto after = (*client)->list(kConfigMaps, cluster.ns);
  INFO((after ? std::string() : after.error().message()));
  CHECK(after);
}

TEST_CASE("exec credentials: a client certificate from the plugin authenticates",
          "[integration][exec]") {
  ExecCluster cluster;
  // The fixture's admin certificate and key, as a plugin of a cluster with
  // certificate login prints them (PEM, its newlines escaped for JSON).
  std::string script = R"sh(#!/bin/sh
pem() { awk '{printf "%s\\n", $0}' "$1"; }
printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"}}' "$(pem CERT)" "$(pem KEY)"
)sh";
  script.replace(script.find("CERT"), 4, "'" + cluster.admin_cert().string() + "'");
  script.replace(script.find("KEY"), 3, "'" + cluster.admin_key().string() + "'");
  auto plugin = cluster.dir.write("bin/cert-auth", script);
  chmod(plugin.c_str(), 0755);
  auto config = kube::load_kubeconfig({cluster.write_kubeconfig(
      "cert.kubeconfig", cluster.api_server,
      "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: \"" + plugin.string() +
          "\"}}")});
  REQUIRE(config);
  auto client = kube::Client::create(*config, testing::fast_client_options());
  REQUIRE(client);
  // Only the cluster admin may list namespaces: the certificate was presented.
  auto listed = (*client)->list(kube::ResourceRef{"", "v1", "namespaces", false}, "");
  INFO((listed ? std::string() : listed.error().message()));
  CHECK(listed);
}

TEST_CASE("exec credentials: the operator runs from a kubeconfig with an exec plugin, and "
          "serves its metrics",
          "[integration][exec]") {
  ExecCluster cluster;
  int probes = free_port();
  int metrics = free_port();
  Process running({SCHEMAGATE_OPERATOR_BINARY, "--kubeconfig", cluster.exec_kubeconfig.string(),
                   "--namespace", cluster.ns,
                   "--metrics-bind-address", "127.0.0.1:" + std::to_string(metrics),
                   "--health-probe-bind-address", "127.0.0.1:" + std::to_string(probes)});
  REQUIRE(eventually([&] { return get(probes, "/readyz").first == 200; }));
  CHECK(cluster.runs() >= 1);
  std::string host = cluster.api_server.substr(std::string("https://").size());
  const std::vector<std::string> wanted = {
      "rest_client_requests_total{code=\"200\",host=\"" + host + "\",method=\"GET\"}",
      "workqueue_depth{controller=\"migrationjob\",name=\"migrationjob\"}",
      "controller_runtime_max_concurrent_reconciles{controller=\"migrationjob\"} 8",
      "schemagate_migrationjobs{phase=\"Pending\"} 0",
      "# TYPE process_resident_memory_bytes gauge",
      "process_start_time_seconds "};
  // Readiness comes with the synced cache; the workers (and their gauge)
  // start just after it.
  std::string text;
  eventually([&] {
    text = get(metrics, "/metrics").second;
    return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& expected) {
      return text.find(expected) != std::string::npos;
    });
  });
  for (const std::string& expected : wanted) CHECK_THAT(text, Catch::Contains(expected));
  REQUIRE(::kill(running.pid(), SIGTERM) == 0);
  auto result = running.wait();
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("running the kubeconfig's exec credential plugin"));
}

TEST_CASE("exec credentials: a missing plugin keeps the operator unready and says so",
          "[integration][exec]") {
  ExecCluster cluster;
  auto kubeconfig = cluster.write_kubeconfig(
      "missing.kubeconfig", cluster.api_server,
      "{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-auth-not-here, "
      "installHint: \"install gke-auth-not-here with your cloud CLI\"}}");
  int probes = free_port();
  Process running({SCHEMAGATE_OPERATOR_BINARY, "--kubeconfig", kubeconfig.string(),
                   "--namespace", cluster.ns, "--metrics-bind-address", "0",
                   "--health-probe-bind-address", "127.0.0.1:" + std::to_string(probes)});
  REQUIRE(eventually([&] { return get(probes, "/healthz").first == 200; }));
  CHECK(testing::holds_for([&] { return get(probes, "/readyz").first == 500; }, 3s));
  REQUIRE(::kill(running.pid(), SIGTERM) == 0);
  auto result = running.wait();
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("user user: exec plugin gke-auth-not-here cannot run") &&
                             Catch::Contains("install gke-auth-not-here with your cloud CLI"));
}
