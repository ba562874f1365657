#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <cpprest/http_client.h>

#include "controller/lease_lock.h"
#include "operator/integration/api_server_fixture.h"
#include "support/process.h"

using namespace std::chrono_literals;
using schemagate::controller::KubeLeaseLock;
using schemagate::controller::lease_from_json;
using schemagate::controller::LeaseRecord;
using schemagate::testing::ApiServerFixture;
using schemagate::testing::eventually;
using schemagate::testing::free_port;
using schemagate::testing::Process;

namespace {

std::vector<std::string> operator_command(const std::string& kubeconfig, int probe_port) {
  return {SCHEMAGATE_OPERATOR_BINARY,
          "--kubeconfig", kubeconfig,
          "--leader-elect",
          "--leader-election-namespace", "default",
          "--leader-election-id", "schemagate-test",
          "--leader-election-lease-duration", "2s",
          "--leader-election-renew-deadline", "1500ms",
          "--leader-election-retry-period", "200ms",
          "--metrics-bind-address", "0",
          "--health-probe-bind-address", "127.0.0.1:" + std::to_string(probe_port)};
}

std::optional<LeaseRecord> lease(schemagate::kube::Client& client) {
  auto found = client.get(KubeLeaseLock::kLeases, "default", "schemagate-test");
  if (!found) return std::nullopt;
  return lease_from_json(*found);
}

// Identities are "hostname_pid".
bool held_by(schemagate::kube::Client& client, const Process& process) {
  auto record = lease(client);
  std::string suffix = "_" + std::to_string(process.pid());
  const std::string& holder = record ? record->holder_identity : "";
  return holder.size() > suffix.size() &&
         holder.compare(holder.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int probe(int port, const std::string& path) {
  try {
    web::http::client::http_client client("http://127.0.0.1:" + std::to_string(port));
    return client.request(web::http::methods::GET, path).get().status_code();
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

TEST_CASE("operator processes: one leads, the other takes over when it dies",
          "[integration][leader]") {
  ApiServerFixture fixture;
  auto& client = *fixture.client;
  std::string kubeconfig = fixture.server->kubeconfig().string();
  int first_port = free_port();
  Process first(operator_command(kubeconfig, first_port));
  REQUIRE(eventually([&] { return held_by(client, first); }));

  int second_port = free_port();
  Process second(operator_command(kubeconfig, second_port));
  // The standby is ready (caches synced) without being the leader.
  REQUIRE(eventually([&] { return probe(second_port, "/readyz") == 200; }));
  CHECK(probe(second_port, "/healthz") == 200);
  CHECK(probe(first_port, "/readyz") == 200);
  // Over several renewal periods, the lease stays with the first.
  for (int i = 0; i < 5; ++i) {
    CHECK(held_by(client, first));
    std::this_thread::sleep_for(200ms);
  }
  int transitions = lease(client)->lease_transitions;

  first.kill_hard();
  first.wait();
  REQUIRE(eventually([&] { return held_by(client, second); }));
  CHECK(lease(client)->lease_transitions == transitions + 1);

  // SIGTERM: graceful shutdown releases the lease.
  REQUIRE(::kill(second.pid(), SIGTERM) == 0);
  auto result = second.wait();
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(lease(client)->holder_identity.empty());
}

TEST_CASE("operator processes: a wrong token is reported clearly", "[integration][leader]") {
  ApiServerFixture fixture;
  std::string text;
  {
    std::ifstream in(fixture.server->kubeconfig());
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  std::string token = fixture.server->token();
  text.replace(text.find(token), token.size(), "wrong-token");
  auto kubeconfig = fixture.dir.write("wrong-kubeconfig", text);
  int port = free_port();
  Process running({SCHEMAGATE_OPERATOR_BINARY, "--kubeconfig", kubeconfig.string(),
                   "--metrics-bind-address", "0", "--health-probe-bind-address",
                   "127.0.0.1:" + std::to_string(port)});
  REQUIRE(eventually([&] { return probe(port, "/healthz") == 200; }));
  // Never ready: the cache cannot sync without valid credentials.
  std::this_thread::sleep_for(300ms);
  CHECK(probe(port, "/readyz") == 500);
  REQUIRE(::kill(running.pid(), SIGTERM) == 0);
  auto result = running.wait();
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains(fixture.server->url()) &&
                             Catch::Contains("token may be expired or wrong"));
}
