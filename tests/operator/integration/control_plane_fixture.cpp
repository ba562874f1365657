#include "operator/integration/control_plane_fixture.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <boost/asio/ssl/context.hpp>
#include <catch2/catch.hpp>
#include <cpprest/http_client.h>
#include <yaml-cpp/yaml.h>

#include "kube/config.h"
#include "kube/json_path.h"
#include "migrationjob/resources.h"

namespace schemagate::testing {
namespace {

const kube::ResourceRef kNamespaces{"", "v1", "namespaces", false};
const kube::ResourceRef kCrds{"apiextensions.k8s.io", "v1", "customresourcedefinitions", false};

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// DIR/env of scripts/kube.sh: KEY=VALUE lines.
std::map<std::string, std::string> cluster_env(const std::filesystem::path& cluster) {
  std::map<std::string, std::string> env;
  std::istringstream lines(read_text(cluster / "env"));
  for (std::string line; std::getline(lines, line);) {
    auto equals = line.find('=');
    if (equals != std::string::npos) env[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return env;
}

std::filesystem::path cluster_dir() {
  const char* dir = std::getenv("SCHEMAGATE_TEST_KUBE_DIR");
  if (!dir || !*dir) {
    FAIL("SCHEMAGATE_TEST_KUBE_DIR is not set: run through ctest, whose fixture starts the "
         "control plane, or start one with scripts/kube.sh start DIR and tests/kube/images.sh");
  }
  REQUIRE(std::filesystem::exists(std::filesystem::path(dir) / "env"));
  return dir;
}

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

bool established(const kube::Json& crd) {
  const kube::Json* conditions = kube::find_path(crd, {"status", "conditions"});
  if (!conditions || !conditions->is_array()) return false;
  for (const kube::Json& condition : conditions->as_array()) {
    if (kube::string_at(condition, {"type"}) == "Established") {
      return kube::string_at(condition, {"status"}) == "True";
    }
  }
  return false;
}

// The CRD users install, so that its schema (pruning, defaults, required
// fields) applies to every object the tests and the operator write. Other
// tests share the cluster: create it, or bring an existing one up to date
// (waiting out one being deleted), until the server serves it.
void install_crd(kube::Client& client) {
  const kube::Json wanted = json_from_yaml(
      YAML::LoadFile(source_dir() + "/deploy/crds/schemagate.io_migrationjobs.yaml"));
  const std::string name = kube::name_of(wanted);
  std::string last_error;
  bool applied = eventually([&] {
    auto existing = client.get(kCrds, "", name);
    if (!existing) {
      auto created = client.create(kCrds, "", wanted);
      if (!created) last_error = created.error().message();
      return created.ok();
    }
    if (kube::find_path(*existing, {"metadata", "deletionTimestamp"})) return false;
    kube::Json update = wanted;
    update["metadata"]["resourceVersion"] =
        kube::Json::string(kube::resource_version_of(*existing));
    auto updated = client.update(kCrds, update);
    if (!updated) last_error = updated.error().message();
    return updated.ok();
  });
  INFO(last_error);
  REQUIRE(applied);
  REQUIRE(eventually([&] {
    auto crd = client.get(kCrds, "", name);
    return crd && established(*crd);
  }));
}

std::string unique_namespace() {
  std::random_device device;
  std::ostringstream name;
  name << "sg-op-" << std::hex << device() << device() % 0x10000;
  return name.str();
}

std::unique_ptr<kube::Client> client_from(const std::filesystem::path& kubeconfig) {
  auto config = kube::load_kubeconfig({kubeconfig});
  INFO((config ? std::string() : config.error().message()));
  REQUIRE(config.ok());
  auto created = kube::Client::create(*config, fast_client_options());
  INFO((created ? std::string() : created.error().message()));
  REQUIRE(created.ok());
  return std::move(*created);
}

}  // namespace

kube::ClientOptions fast_client_options() {
  kube::ClientOptions options;
  options.retry.max_attempts = 6;
  options.retry.backoff = {std::chrono::milliseconds(10), std::chrono::milliseconds(200), 2.0, 0.1};
  options.retry.max_retry_after = std::chrono::seconds(1);
  return options;
}

ControlPlaneFixture::ControlPlaneFixture() : ns(unique_namespace()) {
  const std::filesystem::path cluster = cluster_dir();
  auto env = cluster_env(cluster);
  pki_ = cluster / "pki";
  api_server = "https://127.0.0.1:" + env["KUBE_API_PORT"];
  direct = client_from(write_kubeconfig("direct.kubeconfig", api_server,
                                        "{client-certificate: \"" + admin_cert().string() +
                                            "\", client-key: \"" + admin_key().string() + "\"}"));
  install_crd(*direct);

  const auto port_file = dir.path() / "proxy-port";
  proxy_process_ = std::make_unique<Process>(std::vector<std::string>{
      env["KUBE_FAULT_PROXY"], "--listen", "127.0.0.1:0", "--port-file", port_file.string(),
      "--upstream", api_server, "--ca", (pki_ / "ca.crt").string(),
      "--serving-cert", (pki_ / "apiserver.crt").string(),
      "--serving-key", (pki_ / "apiserver.key").string(),
      "--admin-cert", admin_cert().string(), "--admin-key", admin_key().string()});
  // The proxy writes the file whole, ending in a newline, once it listens.
  INFO("the fault proxy " << env["KUBE_FAULT_PROXY"] << " (KUBE_FAULT_PROXY) did not start");
  REQUIRE(eventually([&] { return read_text(port_file).find('\n') != std::string::npos; }));
  std::string port = read_text(port_file);
  proxy = "https://127.0.0.1:" + port.substr(0, port.find('\n'));
  kubeconfig = write_kubeconfig("kubeconfig", proxy,
                                "{client-certificate: \"" + admin_cert().string() +
                                    "\", client-key: \"" + admin_key().string() + "\"}");
  client = client_from(kubeconfig);
  // Last: the destructor, which deletes it, runs only for a complete fixture.
  kube::Json space = kube::Json::object();
  space["apiVersion"] = kube::Json::string("v1");
  space["kind"] = kube::Json::string("Namespace");
  space["metadata"]["name"] = kube::Json::string(ns);
  auto created = direct->create(kNamespaces, "", space);
  INFO((created ? std::string() : created.error().message()));
  REQUIRE(created.ok());
}

ControlPlaneFixture::~ControlPlaneFixture() {
  // The test's operators are gone by now, and with them whoever would
  // release a gated MigrationJob's finalizer: drop it, or the namespace (and
  // any later deletion of the CRD) would wait for it forever.
  if (auto jobs = direct->list(migrationjob::kMigrationJobs, ns)) {
    for (const kube::Json& job : jobs->items) {
      (void)direct->merge_patch(migrationjob::kMigrationJobs, ns, kube::name_of(job),
                                kube::Json::parse(R"({"metadata":{"finalizers":null}})"));
    }
  }
  // The namespace controller removes everything in it (pods included) after
  // this returns; names are unique, so the next test is not in its way.
  (void)direct->remove(kNamespaces, "", ns);
}

std::filesystem::path ControlPlaneFixture::write_kubeconfig(const std::string& file,
                                                            const std::string& server,
                                                            const std::string& user) const {
  return dir.write(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n"
                         "  cluster: {server: \"" + server + "\", certificate-authority: \"" +
                         (pki_ / "ca.crt").string() + "\"}\n"
                         "users:\n- name: user\n  user: " + user + "\n"
                         "contexts:\n- name: local\n  context: {cluster: local, user: user, "
                         "namespace: " + ns + "}\ncurrent-context: local\n");
}

std::string ControlPlaneFixture::control(const std::string& method,
                                         const std::string& path_and_query) {
  web::http::client::http_client_config config;
  const std::string ca = read_text(pki_ / "ca.crt");
  config.set_ssl_context_callback([ca](boost::asio::ssl::context& context) {
    context.add_certificate_authority(boost::asio::buffer(ca));
  });
  web::http::client::http_client http(proxy, config);
  auto response = http.request(method, path_and_query).get();
  std::string body = response.extract_utf8string(true).get();
  INFO(method << " " << path_and_query << ": " << body);
  REQUIRE(response.status_code() == 200);
  return body;
}

void ControlPlaneFixture::fail_next(int count, int status, int retry_after_seconds) {
  std::string query = "/_faults/fail?count=" + std::to_string(count) +
                      "&status=" + std::to_string(status);
  if (retry_after_seconds > 0) query += "&retryAfter=" + std::to_string(retry_after_seconds);
  control(web::http::methods::POST, query);
}

int ControlPlaneFixture::close_all_watches() {
  return std::stoi(control(web::http::methods::POST, "/_faults/close-watches"));
}

int ControlPlaneFixture::expire_watches() {
  return std::stoi(control(web::http::methods::POST, "/_faults/expire-watches"));
}

int ControlPlaneFixture::open_watch_count() {
  return std::stoi(control(web::http::methods::GET, "/_faults/watches"));
}

int ControlPlaneFixture::injected_count() {
  return std::stoi(control(web::http::methods::GET, "/_faults/injected"));
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

}  // namespace schemagate::testing
