#include <catch2/catch.hpp>

#include <fstream>

#include "kube/config.h"
#include "kube/update_with_retry.h"
#include "migrationjob/resources.h"
#include "operator/integration/control_plane_fixture.h"

using schemagate::migrationjob::kMigrationJobs;
using schemagate::kube::Client;
using schemagate::kube::ErrorKind;
using schemagate::kube::Json;
using schemagate::kube::ListOptions;
using schemagate::testing::ControlPlaneFixture;
using schemagate::testing::migration_job;

TEST_CASE("control plane: typed REST access to MigrationJobs", "[integration][client]") {
  ControlPlaneFixture fixture;
  const std::string& ns = fixture.ns;
  Client& client = *fixture.client;

  auto created = client.create(kMigrationJobs, ns, migration_job(ns, "shop"));
  REQUIRE(created.ok());
  CHECK(schemagate::kube::name_of(*created) == "shop");
  CHECK_FALSE(schemagate::kube::resource_version_of(*created).empty());

  auto again = client.create(kMigrationJobs, ns, migration_job(ns, "shop"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind() == ErrorKind::kAlreadyExists);

  auto got = client.get(kMigrationJobs, ns, "shop");
  REQUIRE(got.ok());
  CHECK(got->at("spec").at("image").as_string() == created->at("spec").at("image").as_string());

  // PUT with the current resourceVersion succeeds; with a stale one conflicts.
  Json changed = *got;
  changed["spec"]["image"] = Json::string("registry.example/migrations:2");
  auto updated = client.update(kMigrationJobs, changed);
  REQUIRE(updated.ok());
  auto stale = client.update(kMigrationJobs, changed);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().kind() == ErrorKind::kConflict);

  auto patched = client.merge_patch(kMigrationJobs, ns, "shop",
                                    Json::parse(R"({"metadata":{"labels":{"team":"db"}}})"));
  REQUIRE(patched.ok());
  CHECK(patched->at("metadata").at("labels").at("team").as_string() == "db");

  auto status = client.merge_patch_status(kMigrationJobs, ns, "shop",
                                          Json::parse(R"({"status":{"phase":"Running"}})"));
  REQUIRE(status.ok());
  CHECK(status->at("status").at("phase").as_string() == "Running");
  Json with_status = *status;
  with_status["status"]["phase"] = Json::string("Succeeded");
  auto status_put = client.update_status(kMigrationJobs, with_status);
  REQUIRE(status_put.ok());
  CHECK(status_put->at("status").at("phase").as_string() == "Succeeded");

  REQUIRE(client.remove(kMigrationJobs, ns, "shop").ok());
  auto gone = client.get(kMigrationJobs, ns, "shop");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind() == ErrorKind::kNotFound);
  CHECK(client.remove(kMigrationJobs, ns, "shop").error().kind() == ErrorKind::kNotFound);
}

TEST_CASE("control plane: list pages through continue tokens and filters by label",
          "[integration][client]") {
  ControlPlaneFixture fixture;
  const std::string& ns = fixture.ns;
  Client& client = *fixture.client;
  for (int i = 0; i < 5; ++i) {
    Json job = migration_job(ns, "job-" + std::to_string(i));
    job["metadata"]["labels"] = Json::parse(i % 2 ? R"({"parity":"odd"})" : R"({"parity":"even"})");
    REQUIRE(client.create(kMigrationJobs, ns, job).ok());
  }
  ListOptions page;
  page.limit = 2;
  auto first = client.list(kMigrationJobs, ns, page);
  REQUIRE(first.ok());
  CHECK(first->items.size() == 2);
  CHECK_FALSE(first->continue_token.empty());

  auto all = client.list_all(kMigrationJobs, ns, page);
  REQUIRE(all.ok());
  CHECK(all->items.size() == 5);
  CHECK_FALSE(all->resource_version.empty());

  ListOptions odd;
  odd.label_selector = "parity=odd";
  auto selected = client.list_all(kMigrationJobs, ns, odd);
  REQUIRE(selected.ok());
  CHECK(selected->items.size() == 2);
}

TEST_CASE("control plane: 500 and 429 bursts are retried, honouring Retry-After",
          "[integration][client]") {
  ControlPlaneFixture fixture;
  const std::string& ns = fixture.ns;
  fixture.fail_next(3, 500);
  auto listed = fixture.client->list(kMigrationJobs, ns);
  INFO((listed ? std::string() : listed.error().message()));
  REQUIRE(listed.ok());
  CHECK(fixture.injected_count() == 3);
  fixture.fail_next(2, 429, 1);
  auto started = std::chrono::steady_clock::now();
  auto created = fixture.client->create(kMigrationJobs, ns, migration_job(ns, "a"));
  INFO((created ? std::string() : created.error().message()));
  REQUIRE(created.ok());
  CHECK(fixture.injected_count() == 5);
  // Two answers said "Retry-After: 1": the client waited at least that.
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::seconds(2));
}

TEST_CASE("control plane: a token the API server rejects gives a clear error",
          "[integration][client]") {
  ControlPlaneFixture fixture;
  auto kubeconfig =
      fixture.write_kubeconfig("wrong-token", fixture.api_server, "{token: expired-or-wrong}");
  auto config = schemagate::kube::load_kubeconfig({kubeconfig});
  REQUIRE(config.ok());
  auto client = Client::create(*config, schemagate::testing::fast_client_options());
  REQUIRE(client.ok());
  auto listed = (*client)->list(kMigrationJobs, fixture.ns);
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().kind() == ErrorKind::kUnauthorized);
  CHECK_THAT(listed.error().message(), Catch::Contains(fixture.api_server) &&
                                           Catch::Contains("token may be expired or wrong"));
}

TEST_CASE("control plane: TLS fails closed without the CA and connects when insecure",
          "[integration][client]") {
  ControlPlaneFixture fixture;
  // Both the API server and the proxy serve the API server's certificate,
  // which only the cluster CA vouches for.
  for (const std::string& server : {fixture.api_server, fixture.proxy}) {
    INFO(server);
    auto config = schemagate::kube::load_kubeconfig({fixture.write_kubeconfig(
        "tls", server,
        "{client-certificate: \"" + fixture.admin_cert().string() + "\", client-key: \"" +
            fixture.admin_key().string() + "\"}")});
    REQUIRE(config.ok());
    config->ca_pem.clear();  // the system store does not know the test CA
    auto untrusted = Client::create(*config, schemagate::testing::fast_client_options());
    REQUIRE(untrusted.ok());
    auto refused = (*untrusted)->list(kMigrationJobs, fixture.ns);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind() == ErrorKind::kTransport);

    config->insecure_skip_tls_verify = true;
    auto insecure = Client::create(*config, schemagate::testing::fast_client_options());
    REQUIRE(insecure.ok());
    auto listed = (*insecure)->list(kMigrationJobs, fixture.ns);
    INFO((listed ? std::string() : listed.error().message()));
    CHECK(listed.ok());
  }
}

TEST_CASE("control plane: a status write that conflicts is re-read and retried",
          "[integration][client]") {
  ControlPlaneFixture fixture;
  const std::string& ns = fixture.ns;
  Client& client = *fixture.client;
  REQUIRE(client.create(kMigrationJobs, ns, migration_job(ns, "shop")).ok());
  int calls = 0;
  auto written = schemagate::kube::update_with_retry(
      client, kMigrationJobs, ns, "shop",
      [&](Json& job) {
        if (++calls == 1) {
          // Another writer gets in between our read and our write.
          auto patched = client.merge_patch_status(
              kMigrationJobs, ns, "shop", Json::parse(R"({"status":{"attempts":1}})"));
          REQUIRE(patched.ok());
        }
        job["status"]["phase"] = Json::string("Running");
        return true;
      },
      schemagate::kube::UpdateTarget::kStatus);
  REQUIRE(written.ok());
  CHECK(calls == 2);
  CHECK(written->at("status").at("phase").as_string() == "Running");
  CHECK(written->at("status").at("attempts").as_integer() == 1);  // the other write survived
}
