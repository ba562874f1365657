#include <catch2/catch.hpp>

#include <cpprest/asyncrt_utils.h>

#include "kube/client.h"
#include "kube/config.h"
#include "support/temp_dir.h"

using schemagate::kube::ClientConfig;
using schemagate::kube::in_cluster_config;
using schemagate::kube::KubeconfigSource;
using schemagate::kube::load_kubeconfig;
using schemagate::kube::parse_kubeconfig;
using schemagate::testing::TempDir;

namespace {

std::string base64(const std::string& text) {
  return utility::conversions::to_base64(std::vector<unsigned char>(text.begin(), text.end()));
}

// A kubeconfig with one cluster, one user and one context; `cluster` and
// `user` are the indented bodies of their sections.
std::string kubeconfig(const std::string& cluster, const std::string& user,
                       const std::string& current = "dev") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: " + current +
         "\nclusters:\n- name: c\n  cluster:\n" + cluster +
         "users:\n- name: u\n  user:\n" + user +
         "contexts:\n- name: dev\n  context: {cluster: c, user: u, namespace: shop}\n";
}

ClientConfig parse_ok(const std::string& text, const std::string& dir = "/etc/kube") {
  auto config = parse_kubeconfig({KubeconfigSource{dir + "/config", text}});
  INFO((config ? std::string() : config.error().message()));
  REQUIRE(config.ok());
  return *config;
}

}  // namespace

TEST_CASE("kubeconfig with a bearer token and CA data", "[kube][config]") {
  ClientConfig config = parse_ok(kubeconfig(
      "    server: https://127.0.0.1:6443/\n    certificate-authority-data: " + base64("CA PEM") +
          "\n",
      "    token: secret-token\n"));
  CHECK(config.server == "https://127.0.0.1:6443");
  CHECK(config.ca_pem == "CA PEM");
  CHECK(config.token == "secret-token");
  CHECK(config.default_namespace == "shop");
  CHECK_FALSE(config.insecure_skip_tls_verify);
  CHECK_THAT(config.origin, Catch::Contains("context dev"));
}

TEST_CASE("kubeconfig with files relative to the kubeconfig", "[kube][config]") {
  TempDir dir;
  dir.write("pki/ca.crt", "CA FROM FILE");
  dir.write("pki/client.crt", "CERT FROM FILE");
  dir.write("pki/client.key", "KEY FROM FILE");
  dir.write("token", "from-file\n");
  dir.write("config", kubeconfig("    server: https://k:443\n    certificate-authority: pki/ca.crt\n",
                                 "    client-certificate: pki/client.crt\n"
                                 "    client-key: pki/client.key\n"
                                 "    tokenFile: token\n"));
  auto config = load_kubeconfig({dir.path() / "config"});
  REQUIRE(config.ok());
  CHECK(config->ca_pem == "CA FROM FILE");
  CHECK(config->client_cert_pem == "CERT FROM FILE");
  CHECK(config->client_key_pem == "KEY FROM FILE");
  CHECK(config->token_file == (dir.path() / "token").string());
}

TEST_CASE("kubeconfig with client certificate data and insecure TLS", "[kube][config]") {
  ClientConfig config = parse_ok(
      kubeconfig("    server: https://k:443\n    insecure-skip-tls-verify: true\n",
                 "    client-certificate-data: " + base64("CERT") +
                     "\n    client-key-data: " + base64("KEY") + "\n"));
  CHECK(config.insecure_skip_tls_verify);
  CHECK(config.client_cert_pem == "CERT");
  CHECK(config.client_key_pem == "KEY");
  CHECK(config.ca_pem.empty());
}

TEST_CASE("kubeconfig errors name the file and what to fix", "[kube][config]") {
  SECTION("no current context") {
    auto config = parse_kubeconfig(
        {KubeconfigSource{"/home/me/.kube/config",
                          kubeconfig("    server: https://k\n", "    token: t\n", "\"\"")}});
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message(), Catch::Contains("/home/me/.kube/config") &&
                                             Catch::Contains("no current context") &&
                                             Catch::Contains("use-context"));
  }
  SECTION("unknown context lists the known ones") {
    auto config = parse_kubeconfig(
        {KubeconfigSource{"/k", kubeconfig("    server: https://k\n", "    token: t\n", "prod")}});
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message(), Catch::Contains("\"prod\" does not exist") &&
                                             Catch::Contains("known contexts: dev"));
  }
  SECTION("missing server") {
    auto config = parse_kubeconfig(
        {KubeconfigSource{"/k", kubeconfig("    insecure-skip-tls-verify: true\n", "    token: t\n")}});
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message(), Catch::Contains("server is not set"));
  }
  SECTION("certificate without key") {
    auto config = parse_kubeconfig({KubeconfigSource{
        "/k", kubeconfig("    server: https://k\n", "    client-certificate-data: " +
                                                         base64("C") + "\n")}});
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message(), Catch::Contains("client-key"));
  }
  SECTION("missing CA file") {
    auto config = parse_kubeconfig({KubeconfigSource{
        "/nowhere/config",
        kubeconfig("    server: https://k\n    certificate-authority: ca.crt\n", "    token: t\n")}});
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message(), Catch::Contains("/nowhere/ca.crt"));
  }
  SECTION("broken YAML") {
    auto config = parse_kubeconfig({KubeconfigSource{"/k", "clusters: [\n"}});
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message(), Catch::Contains("/k"));
  }
}

TEST_CASE("several kubeconfig files merge with the first one winning", "[kube][config]") {
  std::string first = "current-context: dev\nusers:\n- name: u\n  user: {token: first}\n";
  std::string second = kubeconfig("    server: https://second\n", "    token: second\n", "other");
  auto config = parse_kubeconfig({KubeconfigSource{"/a", first}, KubeconfigSource{"/b", second}});
  REQUIRE(config.ok());
  CHECK(config->server == "https://second");
  CHECK(config->token == "first");
}

TEST_CASE("in-cluster config reads the service account mount", "[kube][config]") {
  TempDir dir;
  dir.write("token", "token-1");
  dir.write("ca.crt", "CLUSTER CA");
  dir.write("namespace", "operators\n");
  auto config = in_cluster_config("10.96.0.1", "443", dir.path());
  REQUIRE(config.ok());
  CHECK(config->server == "https://10.96.0.1:443");
  CHECK(config->ca_pem == "CLUSTER CA");
  CHECK(config->token_file == (dir.path() / "token").string());
  CHECK(config->default_namespace == "operators");

  CHECK(in_cluster_config("fd00::1", "443", dir.path())->server == "https://[fd00::1]:443");
  auto outside = in_cluster_config("", "", dir.path());
  REQUIRE_FALSE(outside.ok());
  CHECK_THAT(outside.error().message(), Catch::Contains("KUBERNETES_SERVICE_HOST"));
  TempDir empty;
  auto no_token = in_cluster_config("10.96.0.1", "443", empty.path());
  REQUIRE_FALSE(no_token.ok());
  CHECK_THAT(no_token.error().message(), Catch::Contains("no service account token"));
}

TEST_CASE("a client refuses TLS material that is not PEM", "[kube][config]") {
  ClientConfig config;
  config.server = "https://127.0.0.1:6443";
  config.origin = "kubeconfig /k, context dev";
  config.ca_pem = "not a certificate";
  auto client = schemagate::kube::Client::create(config);
  REQUIRE_FALSE(client.ok());
  CHECK_THAT(client.error().message(), Catch::Contains("kubeconfig /k, context dev") &&
                                           Catch::Contains("certificate-authority"));
}

TEST_CASE("a context that is not a mapping is an error, not a crash", "[kube][config]") {
  auto config = parse_kubeconfig({KubeconfigSource{
      "/k", "current-context: dev\nclusters:\n- name: c\n  cluster: oops\n"
            "contexts:\n- name: dev\n  context: nonsense\n"}});
  REQUIRE_FALSE(config.ok());
  CHECK_THAT(config.error().message(), Catch::Contains("/k"));
}
