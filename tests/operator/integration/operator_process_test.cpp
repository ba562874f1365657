#include <catch2/catch.hpp>

#include <signal.h>

#include <cpprest/http_client.h>

#include "controller/lease_lock.h"
#include "operator/integration/control_plane_fixture.h"
#include "support/process.h"

using namespace std::chrono_literals;
using schemagate::controller::KubeLeaseLock;
using schemagate::controller::lease_from_json;
using schemagate::controller::LeaseRecord;
using schemagate::testing::ControlPlaneFixture;
using schemagate::testing::eventually;
using schemagate::testing::free_port;
using schemagate::testing::holds_for;
using schemagate::testing::Process;

namespace {

// Durations with room for a slow, shared machine: a renewal that takes a
// second must not cost the leader its lease.
std::vector<std::string> operator_command(const ControlPlaneFixture& fixture, int probe_port) {
  return {SCHEMAGATE_OPERATOR_BINARY,
          "--kubeconfig", fixture.kubeconfig.string(),
          "--namespace", fixture.ns,
          "--leader-elect",
          "--leader-election-namespace", fixture.ns,
          "--leader-election-id", "schemagate-test",
          "--leader-election-lease-duration", "6s",
          "--leader-election-renew-deadline", "4s",
          "--leader-election-retry-period", "500ms",
          "--metrics-bind-address", "0",
          "--health-probe-bind-address", "127.0.0.1:" + std::to_string(probe_port)};
}

std::optional<LeaseRecord> lease(const ControlPlaneFixture& fixture) {
  auto found = fixture.direct->get(KubeLeaseLock::kLeases, fixture.ns, "schemagate-test");
  if (!found) return std::nullopt;
  return lease_from_json(*found);
}

// Identities are "hostname_pid".
bool held_by(const ControlPlaneFixture& fixture, const Process& process) {
  auto record = lease(fixture);
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
  ControlPlaneFixture fixture;
  int first_port = free_port();
  Process first(operator_command(fixture, first_port));
  REQUIRE(eventually([&] { return held_by(fixture, first); }));

  int second_port = free_port();
  Process second(operator_command(fixture, second_port));
  // The standby is ready (caches synced) without being the leader.
  REQUIRE(eventually([&] { return probe(second_port, "/readyz") == 200; }));
  CHECK(probe(second_port, "/healthz") == 200);
  CHECK(probe(first_port, "/readyz") == 200);
  // Over several renewal periods, the lease stays with the first.
  CHECK(holds_for([&] { return held_by(fixture, first); }, 3s));
  int transitions = lease(fixture)->lease_transitions;

  first.kill_hard();
  first.wait();
  REQUIRE(eventually([&] { return held_by(fixture, second); }));
  CHECK(lease(fixture)->lease_transitions == transitions + 1);

  // SIGTERM: graceful shutdown releases the lease.
  REQUIRE(::kill(second.pid(), SIGTERM) == 0);
  auto result = second.wait();
  INFO(result.err);
  CHECK(result.exit_code == 0);
  CHECK(lease(fixture)->holder_identity.empty());
}

TEST_CASE("operator processes: a token the API server rejects is reported clearly",
          "[integration][leader]") {
  ControlPlaneFixture fixture;
  auto kubeconfig =
      fixture.write_kubeconfig("wrong-token", fixture.api_server, "{token: wrong-token}");
  int port = free_port();
  Process running({SCHEMAGATE_OPERATOR_BINARY, "--kubeconfig", kubeconfig.string(),
                   "--namespace", fixture.ns, "--metrics-bind-address", "0",
                   "--health-probe-bind-address", "127.0.0.1:" + std::to_string(port)});
  REQUIRE(eventually([&] { return probe(port, "/healthz") == 200; }));
  // Never ready: the caches cannot sync without valid credentials.
  CHECK(holds_for([&] { return probe(port, "/readyz") == 500; }, 3s));
  REQUIRE(::kill(running.pid(), SIGTERM) == 0);
  auto result = running.wait();
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains(fixture.api_server) &&
                             Catch::Contains("token may be expired or wrong"));
}
