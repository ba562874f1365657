#include <catch2/catch.hpp>

#include <cpprest/http_client.h>

#include "http/health.h"
#include "http/http_server.h"
#include "http/metrics.h"
#include "support/ports.h"

using schemagate::http::Health;
using schemagate::http::HttpServer;
using schemagate::http::OperatorMetrics;
using schemagate::testing::free_port;

namespace {

std::pair<int, std::string> get(const std::string& url, const std::string& path) {
  web::http::client::http_client client(url);
  auto response = client.request(web::http::methods::GET, path).get();
  return {response.status_code(), response.extract_string(true).get()};
}

}  // namespace

TEST_CASE("readyz fails until every check passes; healthz is always ok", "[http]") {
  Health health;
  bool synced = false;
  health.add_readiness_check("informer-sync", [&] { return synced; });
  CHECK(health.healthz().status == 200);
  auto not_ready = health.readyz();
  CHECK(not_ready.status == 500);
  CHECK_THAT(not_ready.body, Catch::Contains("informer-sync"));
  synced = true;
  CHECK(health.readyz().status == 200);
}

TEST_CASE("metrics render in the Prometheus text format", "[http]") {
  using schemagate::controller::ReconcileOutcome;
  OperatorMetrics metrics("migrationjob");
  metrics.on_add();
  metrics.on_depth(3);
  metrics.on_queue_latency(0.01);
  metrics.on_unfinished_work(4.5, 3);
  metrics.on_reconcile("migrationjob", ReconcileOutcome::kError, 0.2);
  metrics.on_reconcile("migrationjob", ReconcileOutcome::kRequeueAfter, 0.1);
  metrics.on_workers("migrationjob", 2);
  metrics.on_active_workers("migrationjob", 1);
  metrics.on_leading("schemagate-operator-leader", true);
  metrics.on_watch_restart("migrationjobs.schemagate.io", "gone");
  metrics.on_request("GET", "10.0.0.1:443", 200);
  metrics.on_request("GET", "10.0.0.1:443", 200);
  metrics.on_request("PUT", "10.0.0.1:443", 0);
  std::string text = metrics.render();
  for (const char* expected : {
           "# TYPE workqueue_depth gauge",
           "workqueue_depth{controller=\"migrationjob\",name=\"migrationjob\"} 3",
           "workqueue_adds_total{controller=\"migrationjob\",name=\"migrationjob\"} 1",
           "workqueue_retries_total{controller=\"migrationjob\",name=\"migrationjob\"} 0",
           "workqueue_queue_duration_seconds_bucket{controller=\"migrationjob\",name=\"migrationjob\",le=\"1e-08\"} 0",
           "workqueue_work_duration_seconds_count{controller=\"migrationjob\",name=\"migrationjob\"} 0",
           "workqueue_unfinished_work_seconds{controller=\"migrationjob\",name=\"migrationjob\"} 4.5",
           "workqueue_longest_running_processor_seconds{controller=\"migrationjob\",name=\"migrationjob\"} 3",
           "controller_runtime_reconcile_total{controller=\"migrationjob\",result=\"error\"} 1",
           "controller_runtime_reconcile_total{controller=\"migrationjob\",result=\"requeue_after\"} 1",
           "controller_runtime_reconcile_total{controller=\"migrationjob\",result=\"success\"} 0",
           "controller_runtime_reconcile_errors_total{controller=\"migrationjob\"} 1",
           "controller_runtime_reconcile_time_seconds_bucket{controller=\"migrationjob\",le=\"0.005\"} 0",
           "controller_runtime_reconcile_time_seconds_count{controller=\"migrationjob\"} 2",
           "controller_runtime_max_concurrent_reconciles{controller=\"migrationjob\"} 2",
           "controller_runtime_active_workers{controller=\"migrationjob\"} 1",
           "leader_election_master_status{name=\"schemagate-operator-leader\"} 1",
           "schemagate_watch_restarts_total{reason=\"gone\",resource=\"migrationjobs.schemagate.io\"} 1",
           "rest_client_requests_total{code=\"200\",host=\"10.0.0.1:443\",method=\"GET\"} 2",
           "rest_client_requests_total{code=\"<error>\",host=\"10.0.0.1:443\",method=\"PUT\"} 1",
           "# TYPE process_cpu_seconds_total counter",
           "# TYPE process_resident_memory_bytes gauge",
       }) {
    CHECK_THAT(text, Catch::Contains(expected));
  }
}

TEST_CASE("schemagate's own metrics: phases, run times, holds", "[http]") {
  OperatorMetrics metrics("migrationjob");
  metrics.on_phase_change("", "Pending");
  metrics.on_phase_change("", "Pending");
  metrics.on_phase_change("Pending", "Running");
  metrics.on_migration_finished("succeeded", 42);
  metrics.on_rollout_held("shop/Deployment/api");
  metrics.on_rollout_held("shop/Deployment/api");  // said again while held
  metrics.on_rollout_held("shop/StatefulSet/db");
  std::string held = metrics.render();
  CHECK_THAT(held, Catch::Contains("schemagate_migrationjobs{phase=\"Pending\"} 1") &&
                       Catch::Contains("schemagate_migrationjobs{phase=\"Running\"} 1") &&
                       Catch::Contains("schemagate_migrationjobs{phase=\"Failed\"} 0"));
  CHECK_THAT(held, Catch::Contains(
                       "schemagate_migration_duration_seconds_bucket{outcome=\"succeeded\",le=\"30\"} 0") &&
                       Catch::Contains(
                           "schemagate_migration_duration_seconds_bucket{outcome=\"succeeded\",le=\"60\"} 1") &&
                       Catch::Contains("schemagate_migration_duration_seconds_count{outcome=\"failed\"} 0"));
  CHECK_THAT(held, Catch::Contains("schemagate_rollouts_held 2") &&
                       Catch::Contains("schemagate_rollout_hold_seconds_count 0"));
  metrics.on_rollout_released("shop/Deployment/api");
  metrics.on_rollout_released("shop/Deployment/never-held");
  std::string released = metrics.render();
  CHECK_THAT(released, Catch::Contains("schemagate_rollouts_held 1") &&
                           Catch::Contains("schemagate_rollout_hold_seconds_count 1"));
}

TEST_CASE("the HTTP server serves probes and metrics", "[http]") {
  Health health;
  OperatorMetrics metrics("q");
  auto routes = health.routes();
  routes.merge(metrics.routes());
  auto server = HttpServer::start({"127.0.0.1", free_port()}, routes);
  REQUIRE(server.ok());
  const std::string& url = (*server)->url();
  CHECK(get(url, "/healthz") == std::pair<int, std::string>{200, "ok"});
  CHECK(get(url, "/readyz").first == 200);
  auto scraped = get(url, "/metrics");
  CHECK(scraped.first == 200);
  CHECK_THAT(scraped.second, Catch::Contains("workqueue_depth"));
  CHECK(get(url, "/nope").first == 404);
}

TEST_CASE("a port already taken is refused with the address", "[http]") {
  Health health;
  int port = free_port();
  auto first = HttpServer::start({"127.0.0.1", port}, health.routes());
  REQUIRE(first.ok());
  auto second = HttpServer::start({"127.0.0.1", port}, health.routes());
  REQUIRE_FALSE(second.ok());
  CHECK_THAT(second.error().message(),
             Catch::Contains("cannot listen on http://127.0.0.1:" + std::to_string(port)));
}
