#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <deque>
#include <fstream>

#include "kube/config.h"
#include "kube/exec_credential.h"
#include "kube/exec_credential_source.h"
#include "kube/exec_plugin.h"
#include "kube/json_path.h"
#include "kube/time_format.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

using namespace std::chrono_literals;
using namespace schemagate;
using namespace schemagate::kube;
using schemagate::testing::FakeClock;
using schemagate::testing::TempDir;

namespace {

const char* kV1 = "client.authentication.k8s.io/v1";

ExecConfig exec_config(const std::string& command = "cloud-auth") {
  ExecConfig exec;
  exec.api_version = kV1;
  exec.command = command;
  exec.user = "eks-admin";
  exec.origin = "kubeconfig /home/me/.kube/config, context prod, user eks-admin";
  return exec;
}

std::string credential(const std::string& status) {
  return R"({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
             "status": )" + status + "}";
}

std::string error_of(const std::string& output) {
  auto parsed = parse_exec_credential(output, exec_config());
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message();
}

// Hands out prepared outputs, counting runs.
struct ScriptedRunner final : PluginRunner {
  std::deque<Result<std::string>> outputs;
  int* runs;
  std::string* last_info;
  ScriptedRunner(int* counter, std::string* info) : runs(counter), last_info(info) {}
  Result<std::string> run(const ExecConfig&, const std::string& exec_info) override {
    ++*runs;
    *last_info = exec_info;
    REQUIRE_FALSE(outputs.empty());
    Result<std::string> next = outputs.front();
    outputs.pop_front();
    return next;
  }
};

std::filesystem::path script(const TempDir& dir, const std::string& name, const std::string& body) {
  auto path = dir.write(name, "#!/bin/sh\n" + body);
  chmod(path.c_str(), 0755);
  return path;
}

}  // namespace

TEST_CASE("an ExecCredential gives a token, or a certificate, valid until its expiry",
          "[kube][exec]") {
  auto token = parse_exec_credential(
      credential(R"({"token": "k8s-aws-v1.abc", "expirationTimestamp": "2026-12-07T18:00:00Z"})"),
      exec_config());
  REQUIRE(token);
  CHECK(token->token == "k8s-aws-v1.abc");
  REQUIRE(token->expiration);
  CHECK(format_time(*token->expiration) == "2026-12-07T18:00:00Z");

  auto cert = parse_exec_credential(
      credential(R"({"clientCertificateData": "CERT", "clientKeyData": "KEY"})"), exec_config());
  REQUIRE(cert);
  CHECK(cert->client_cert_pem == "CERT");
  CHECK(cert->client_key_pem == "KEY");
  CHECK_FALSE(cert->expiration);

  ExecConfig beta = exec_config();
  beta.api_version = "client.authentication.k8s.io/v1beta1";
  auto old = parse_exec_credential(
      R"({"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential",
          "status": {"token": "t"}})",
      beta);
  REQUIRE(old);
  CHECK(old->token == "t");
}

TEST_CASE("whatever else a plugin prints is an error naming the user and the plugin",
          "[kube][exec]") {
  std::string where = "user eks-admin: exec plugin cloud-auth";
  CHECK_THAT(error_of(""), Catch::Contains(where) && Catch::Contains("printed nothing"));
  CHECK_THAT(error_of("Please log in: https://login.example\n"),
             Catch::Contains(where) && Catch::Contains("\"Please log in") &&
                 Catch::Contains("not an ExecCredential"));
  CHECK_THAT(error_of("[1, 2]"), Catch::Contains("not an ExecCredential"));
  CHECK_THAT(error_of(R"({"kind": "Status"})"), Catch::Contains("of kind \"Status\""));
  CHECK_THAT(error_of(R"({"apiVersion": "client.authentication.k8s.io/v1beta1",
                          "kind": "ExecCredential", "status": {"token": "t"}})"),
             Catch::Contains("\"client.authentication.k8s.io/v1beta1\" where the kubeconfig "
                             "asks for client.authentication.k8s.io/v1"));
  CHECK_THAT(error_of(credential("null")), Catch::Contains("without status"));
  CHECK_THAT(error_of(credential("{}")), Catch::Contains("neither status.token"));
  CHECK_THAT(error_of(credential(R"({"token": 5})")), Catch::Contains("neither status.token"));
  CHECK_THAT(error_of(credential(R"({"clientCertificateData": "C"})")),
             Catch::Contains("only one of"));
  CHECK_THAT(error_of(credential(R"({"token": "t", "expirationTimestamp": "tomorrow"})")),
             Catch::Contains("\"tomorrow\", which is not an RFC 3339 time"));
  CHECK_THAT(error_of(std::string(5000, '{')), Catch::Contains("..."));
  CHECK_THAT(error_of(std::string("\0\xff\xfe", 3)), Catch::Contains("not an ExecCredential"));
}

TEST_CASE("KUBERNETES_EXEC_INFO says non-interactive, and the cluster when asked",
          "[kube][exec]") {
  ClientConfig cluster;
  cluster.server = "https://eks.example:443";
  cluster.ca_pem = "CA";
  ExecConfig exec = exec_config();
  Json bare = Json::parse(exec_info(exec, cluster));
  CHECK(string_at(bare, {"kind"}) == "ExecCredential");
  CHECK(string_at(bare, {"apiVersion"}) == kV1);
  CHECK(find_path(bare, {"spec", "interactive"})->as_bool() == false);
  CHECK_FALSE(find_path(bare, {"spec", "cluster"}));
  exec.provide_cluster_info = true;
  Json full = Json::parse(exec_info(exec, cluster));
  CHECK(string_at(full, {"spec", "cluster", "server"}) == "https://eks.example:443");
  CHECK(string_at(full, {"spec", "cluster", "certificate-authority-data"}) == "Q0E=");
}

TEST_CASE("the credential is kept until it expires, then the plugin runs again",
          "[kube][exec]") {
  FakeClock clock;
  int runs = 0;
  std::string info;
  auto runner = std::make_unique<ScriptedRunner>(&runs, &info);
  std::string soon = format_time(clock.wall_now() + 10min);
  runner->outputs.push_back(credential(R"({"token": "one", "expirationTimestamp": ")" + soon + "\"}"));
  runner->outputs.push_back(credential(R"({"token": "two"})"));
  ExecCredentialSource source(exec_config(), "INFO", std::move(runner), clock);
  auto first = source.get();
  REQUIRE(first);
  CHECK(first->credential.token == "one");
  CHECK(info == "INFO");
  clock.advance(9min);
  CHECK(source.get()->credential.token == "one");
  CHECK(runs == 1);
  clock.advance(2min);
  auto second = source.get();
  REQUIRE(second);
  CHECK(second->credential.token == "two");
  CHECK(second->generation != first->generation);
  clock.advance(24h);  // no expirationTimestamp: kept until refused
  CHECK(source.get()->credential.token == "two");
  CHECK(runs == 2);
}

TEST_CASE("a refused credential is run for again, once, however many requests saw it refused",
          "[kube][exec]") {
  FakeClock clock;
  int runs = 0;
  std::string info;
  auto runner = std::make_unique<ScriptedRunner>(&runs, &info);
  runner->outputs.push_back(credential(R"({"token": "old"})"));
  runner->outputs.push_back(Error(ErrorCode::kInvalid, "plugin exited with status 1"));
  runner->outputs.push_back(credential(R"({"token": "new"})"));
  ExecCredentialSource source(exec_config(), "INFO", std::move(runner), clock);
  auto old = source.get();
  REQUIRE(old);
  source.invalidate(old->generation);
  auto failed = source.get();  // the plugin fails: said, not cached
  REQUIRE_FALSE(failed);
  CHECK_THAT(failed.error().message(), Catch::Contains("exited with status 1"));
  auto fresh = source.get();
  REQUIRE(fresh);
  CHECK(fresh->credential.token == "new");
  source.invalidate(old->generation);  // a late 401 for the old token
  CHECK(source.get()->credential.token == "new");
  CHECK(runs == 3);
}

TEST_CASE("a kubeconfig exec user is read, its relative command against the file's directory",
          "[kube][exec][config]") {
  std::string text = R"(apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: eks
  cluster: {server: "https://eks.example"}
users:
- name: eks-admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./bin/auth-plugin
      args: [token, -i, prod]
      env: [{name: AWS_PROFILE, value: prod}]
      installHint: install the cloud CLI
      provideClusterInfo: true
      interactiveMode: Never
contexts:
- name: prod
  context: {cluster: eks, user: eks-admin}
)";
  auto config = parse_kubeconfig({KubeconfigSource{"/home/me/.kube/config", text}});
  REQUIRE(config);
  REQUIRE(config->exec);
  const ExecConfig& exec = *config->exec;
  CHECK(exec.api_version == "client.authentication.k8s.io/v1beta1");
  CHECK(exec.command == "/home/me/.kube/./bin/auth-plugin");
  CHECK(exec.args == std::vector<std::string>{"token", "-i", "prod"});
  CHECK(exec.env == std::vector<std::pair<std::string, std::string>>{{"AWS_PROFILE", "prod"}});
  CHECK(exec.install_hint == "install the cloud CLI");
  CHECK(exec.provide_cluster_info);
  CHECK(exec.user == "eks-admin");
  CHECK_THAT(exec.origin, Catch::Contains("context prod, user eks-admin"));

  auto refused = [&](const std::string& from, const std::string& to) {
    std::string changed = text;
    changed.replace(changed.find(from), from.size(), to);
    auto result = parse_kubeconfig({KubeconfigSource{"/home/me/.kube/config", changed}});
    REQUIRE_FALSE(result);
    return result.error().message();
  };
  CHECK_THAT(refused("client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1alpha1"),
             Catch::Contains("user eks-admin, exec: apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported"));
  CHECK_THAT(refused("interactiveMode: Never", "interactiveMode: Always"),
             Catch::Contains("no terminal"));
  CHECK_THAT(refused("command: ./bin/auth-plugin", "command: \"\""), Catch::Contains("command is not set"));
  CHECK_THAT(refused("args: [token, -i, prod]", "args: {a: b}"), Catch::Contains("args must be a list"));

  std::string bare = text;
  bare.replace(bare.find("./bin/auth-plugin"), 17, "aws");
  CHECK(parse_kubeconfig({KubeconfigSource{"/home/me/.kube/config", bare}})->exec->command == "aws");
}

TEST_CASE("the plugin runs with its args and env, and KUBERNETES_EXEC_INFO", "[kube][exec]") {
  TempDir dir;
  auto plugin = script(dir, "plugin",
                       "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                       "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%s-%s\"}}' \"$1\" "
                       "\"$PROFILE\"\n"
                       "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info\"\n"
                       "echo 'a message for people' >&2\n");
  ExecConfig exec = exec_config(plugin.string());
  exec.args = {"arg"};
  exec.env = {{"PROFILE", "prod"}};
  ProcessPluginRunner runner;
  auto output = runner.run(exec, "{\"spec\":{\"interactive\":false}}");
  REQUIRE(output);
  CHECK(parse_exec_credential(*output, exec)->token == "arg-prod");
  std::ifstream info(dir.path() / "info");
  std::string text((std::istreambuf_iterator<char>(info)), std::istreambuf_iterator<char>());
  CHECK(text == "{\"spec\":{\"interactive\":false}}");
}

TEST_CASE("a missing, failing or hanging plugin is an error saying what to do", "[kube][exec]") {
  TempDir dir;
  ProcessPluginRunner runner(2s);
  ExecConfig missing = exec_config("gke-gcloud-auth-plugin-not-installed");
  missing.install_hint = "Install gke-gcloud-auth-plugin with gcloud components install";
  auto absent = runner.run(missing, "{}");
  REQUIRE_FALSE(absent);
  CHECK_THAT(absent.error().message(),
             Catch::Contains("user eks-admin: exec plugin gke-gcloud-auth-plugin-not-installed "
                             "cannot run: No such file or directory") &&
                 Catch::Contains("gcloud components install"));

  auto failing = runner.run(exec_config(script(dir, "failing", "echo 'token expired' >&2\nexit 3\n")), "{}");
  REQUIRE_FALSE(failing);
  CHECK_THAT(failing.error().message(), Catch::Contains("exited with status 3"));

  auto hanging = runner.run(exec_config(script(dir, "hanging", "exec sleep 30\n")), "{}");
  REQUIRE_FALSE(hanging);
  CHECK_THAT(hanging.error().message(), Catch::Contains("did not finish within 2 s"));

  auto flood = runner.run(exec_config(script(dir, "flood", "exec yes\n")), "{}");
  REQUIRE_FALSE(flood);
  CHECK_THAT(flood.error().message(), Catch::Contains("more than 1 MiB"));

  auto not_executable = dir.write("plain", "#!/bin/sh\necho hi\n");
  auto refused = runner.run(exec_config(not_executable.string()), "{}");
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message(), Catch::Contains("Permission denied"));
}
