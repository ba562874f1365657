#include <catch2/catch.hpp>

#include "app/options.h"
#include "http/http_server.h"

using namespace std::chrono_literals;
using schemagate::app::parse_duration;
using schemagate::app::parse_options;

TEST_CASE("operator flags have controller-runtime's defaults", "[app]") {
  auto options = parse_options({});
  REQUIRE(options.ok());
  CHECK(options->metrics_bind_address == ":8080");
  CHECK(options->health_probe_bind_address == ":8081");
  CHECK_FALSE(options->leader_elect);
  CHECK(options->watch_namespace.empty());
  CHECK(options->lease_duration == 15s);
  CHECK(options->renew_deadline == 10s);
  CHECK(options->retry_period == 2s);
  CHECK(options->workers == 8);
}

TEST_CASE("operator flags are parsed", "[app]") {
  auto options = parse_options({"--kubeconfig", "/k", "--namespace", "shop", "--leader-elect",
                                "--leader-election-namespace", "ops", "--leader-election-id",
                                "lock", "--leader-election-lease-duration", "3s",
                                "--leader-election-renew-deadline", "2s",
                                "--leader-election-retry-period", "500ms",
                                "--metrics-bind-address", "127.0.0.1:9090",
                                "--workers", "4", "--log-format", "json"});
  REQUIRE(options.ok());
  CHECK(options->kubeconfig == "/k");
  CHECK(options->watch_namespace == "shop");
  CHECK(options->leader_elect);
  CHECK(options->leader_election_namespace == "ops");
  CHECK(options->leader_election_id == "lock");
  CHECK(options->lease_duration == 3s);
  CHECK(options->retry_period == 500ms);
  CHECK(options->workers == 4);
  CHECK(options->log_format == "json");
}

TEST_CASE("the version flag skips the other flags' checks", "[app]") {
  auto options = parse_options({"--version", "--workers", "0"});
  REQUIRE(options.ok());
  CHECK(options->version);
  CHECK_FALSE(parse_options({})->version);
}

TEST_CASE("the Lease's namespace defaults to the pod's, and the flag wins", "[app]") {
  // POD_NAMESPACE comes from the downward API, so a kustomize namespace overlay moves the Lease.
  auto from_pod = parse_options({"--leader-elect"}, "other-ns");
  REQUIRE(from_pod.ok());
  CHECK(from_pod->leader_election_namespace == "other-ns");
  auto flag = parse_options({"--leader-election-namespace", "ops"}, "other-ns");
  REQUIRE(flag.ok());
  CHECK(flag->leader_election_namespace == "ops");
  // Neither: empty, and the operator takes the client config's namespace.
  CHECK(parse_options({"--leader-elect"})->leader_election_namespace.empty());
}

TEST_CASE("bad operator flags are refused with a reason", "[app]") {
  auto unknown = parse_options({"--nope"});
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.error().message(), Catch::Contains("--nope"));
  auto order = parse_options({"--leader-election-lease-duration", "5s",
                              "--leader-election-renew-deadline", "6s"});
  REQUIRE_FALSE(order.ok());
  CHECK_THAT(order.error().message(), Catch::Contains("renew-deadline"));
  auto unit = parse_options({"--leader-election-retry-period", "2"});
  REQUIRE_FALSE(unit.ok());
  CHECK_THAT(unit.error().message(), Catch::Contains("unit"));
  CHECK(parse_options({"--help"})->help);
}

TEST_CASE("Go-style durations", "[app]") {
  CHECK(*parse_duration("15s") == 15s);
  CHECK(*parse_duration("1m30s") == 90s);
  CHECK(*parse_duration("250ms") == 250ms);
  CHECK(*parse_duration("1.5h") == 90min);
  CHECK_FALSE(parse_duration("").ok());
  CHECK_FALSE(parse_duration("s").ok());
}

TEST_CASE("bind addresses", "[app]") {
  using schemagate::http::parse_bind_address;
  auto all = parse_bind_address(":8080");
  REQUIRE(all.ok());
  CHECK((*all)->host == "0.0.0.0");
  CHECK((*all)->port == 8080);
  CHECK((*parse_bind_address("127.0.0.1:9"))->host == "127.0.0.1");
  CHECK_FALSE(parse_bind_address("0")->has_value());
  CHECK_FALSE(parse_bind_address("8080").ok());
  CHECK_FALSE(parse_bind_address(":http").ok());
}
