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
  OperatorMetrics metrics("migrationjob");
  metrics.on_add();
  metrics.on_depth(3);
  metrics.on_queue_latency(0.01);
  metrics.on_reconcile("migrationjob", false, 0.2);
  metrics.on_reconcile("migrationjob", true, 0.1);
  metrics.on_watch_restart("migrationjobs.schemagate.io", "gone");
  std::string text = metrics.render();
  CHECK_THAT(text, Catch::Contains("# TYPE workqueue_depth gauge"));
  CHECK_THAT(text, Catch::Contains("workqueue_depth{name=\"migrationjob\"} 3"));
  CHECK_THAT(text, Catch::Contains("workqueue_adds_total{name=\"migrationjob\"} 1"));
  CHECK_THAT(text, Catch::Contains("workqueue_queue_duration_seconds_bucket"));
  CHECK_THAT(text, Catch::Contains(
                       "controller_runtime_reconcile_total{controller=\"migrationjob\",result=\"error\"} 1"));
  CHECK_THAT(text, Catch::Contains(
                       "controller_runtime_reconcile_errors_total{controller=\"migrationjob\"} 1"));
  CHECK_THAT(text, Catch::Contains("controller_runtime_reconcile_time_seconds_count"));
  CHECK_THAT(text, Catch::Contains(
                       "schemagate_watch_restarts_total{reason=\"gone\",resource=\"migrationjobs.schemagate.io\"} 1"));
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
