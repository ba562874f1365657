#include <catch2/catch.hpp>

#include <fstream>

#include "kube/config.h"
#include "kube/update_with_retry.h"
#include "migration/resources.h"
#include "operator/integration/api_server_fixture.h"

using schemagate::migration::kMigrationJobs;
using schemagate::kube::Client;
using schemagate::kube::ErrorKind;
using schemagate::kube::Json;
using schemagate::kube::ListOptions;
using schemagate::testing::ApiServerFixture;
using schemagate::testing::migration_job;

TEST_CASE("api server: typed REST access to MigrationJobs", "[integration][client]") {
  ApiServerFixture fixture;
  Client& client = *fixture.client;

  auto created = client.create(kMigrationJobs, "default", migration_job("default", "shop"));
  REQUIRE(created.ok());
  CHECK(schemagate::kube::name_of(*created) == "shop");
  CHECK_FALSE(schemagate::kube::resource_version_of(*created).empty());

  auto again = client.create(kMigrationJobs, "default", migration_job("default", "shop"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind() == ErrorKind::kAlreadyExists);

  auto got = client.get(kMigrationJobs, "default", "shop");
  REQUIRE(got.ok());
  CHECK(got->at("spec").at("image").as_string() == "registry.example/migrations:1");

  // PUT with the current resourceVersion succeeds; with a stale one conflicts.
  Json changed = *got;
  changed["spec"]["image"] = Json::string("registry.example/migrations:2");
  auto updated = client.update(kMigrationJobs, changed);
  REQUIRE(updated.ok());
  auto stale = client.update(kMigrationJobs, changed);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().kind() == ErrorKind::kConflict);

  auto patched = client.merge_patch(kMigrationJobs, "default", "shop",
                                    Json::parse(R"({"metadata":{"labels":{"team":"db"}}})"));
  REQUIRE(patched.ok());
  CHECK(patched->at("metadata").at("labels").at("team").as_string() == "db");

  auto status = client.merge_patch_status(kMigrationJobs, "default", "shop",
                                          Json::parse(R"({"status":{"phase":"Running"}})"));
  REQUIRE(status.ok());
  CHECK(status->at("status").at("phase").as_string() == "Running");
  Json with_status = *status;
  with_status["status"]["phase"] = Json::string("Succeeded");
  auto status_put = client.update_status(kMigrationJobs, with_status);
  REQUIRE(status_put.ok());
  CHECK(status_put->at("status").at("phase").as_string() == "Succeeded");

  REQUIRE(client.remove(kMigrationJobs, "default", "shop").ok());
  auto gone = client.get(kMigrationJobs, "default", "shop");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind() == ErrorKind::kNotFound);
  CHECK(client.remove(kMigrationJobs, "default", "shop").error().kind() == ErrorKind::kNotFound);
}

TEST_CASE("api server: list pages through continue tokens and filters by label",
          "[integration][client]") {
  ApiServerFixture fixture;
  Client& client = *fixture.client;
  for (int i = 0; i < 5; ++i) {
    Json job = migration_job("default", "job-" + std::to_string(i));
    job["metadata"]["labels"] = Json::parse(i % 2 ? R"({"parity":"odd"})" : R"({"parity":"even"})");
    REQUIRE(client.create(kMigrationJobs, "default", job).ok());
  }
  ListOptions page;
  page.limit = 2;
  auto first = client.list(kMigrationJobs, "default", page);
  REQUIRE(first.ok());
  CHECK(first->items.size() == 2);
  CHECK_FALSE(first->continue_token.empty());

  auto all = client.list_all(kMigrationJobs, "default", page);
  REQUIRE(all.ok());
  CHECK(all->items.size() == 5);
  CHECK_FALSE(all->resource_version.empty());

  ListOptions odd;
  odd.label_selector = "parity=odd";
  auto selected = client.list_all(kMigrationJobs, "", odd);
  REQUIRE(selected.ok());
  CHECK(selected->items.size() == 2);
}

TEST_CASE("api server: 500 and 429 bursts are retried, honouring Retry-After",
          "[integration][client]") {
  ApiServerFixture fixture;
  fixture.server->fail_next(3, 500);
  auto listed = fixture.client->list(kMigrationJobs, "default");
  REQUIRE(listed.ok());
  fixture.server->fail_next(2, 429, 1);
  auto created = fixture.client->create(kMigrationJobs, "default", migration_job("default", "a"));
  REQUIRE(created.ok());
}

TEST_CASE("api server: a wrong token gives a clear error", "[integration][client]") {
  ApiServerFixture fixture;
  auto config = schemagate::kube::load_kubeconfig({fixture.server->kubeconfig()});
  REQUIRE(config.ok());
  config->token = "expired-or-wrong";
  auto client = Client::create(*config, schemagate::testing::fast_client_options());
  REQUIRE(client.ok());
  auto listed = (*client)->list(kMigrationJobs, "default");
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().kind() == ErrorKind::kUnauthorized);
  CHECK_THAT(listed.error().message(), Catch::Contains(fixture.server->url()) &&
                                           Catch::Contains("token may be expired or wrong"));
}

TEST_CASE("api server: TLS fails closed without the CA and connects when insecure",
          "[integration][client]") {
  ApiServerFixture fixture;
  auto config = schemagate::kube::load_kubeconfig({fixture.server->kubeconfig()});
  REQUIRE(config.ok());
  config->ca_pem.clear();  // the system store does not know the test CA
  auto untrusted = Client::create(*config, schemagate::testing::fast_client_options());
  REQUIRE(untrusted.ok());
  auto refused = (*untrusted)->list(kMigrationJobs, "default");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind() == ErrorKind::kTransport);

  config->insecure_skip_tls_verify = true;
  auto insecure = Client::create(*config, schemagate::testing::fast_client_options());
  REQUIRE(insecure.ok());
  CHECK((*insecure)->list(kMigrationJobs, "default").ok());
}

TEST_CASE("api server: a status write that conflicts is re-read and retried",
          "[integration][client]") {
  ApiServerFixture fixture;
  Client& client = *fixture.client;
  REQUIRE(client.create(kMigrationJobs, "default", migration_job("default", "shop")).ok());
  int calls = 0;
  auto written = schemagate::kube::update_with_retry(
      client, kMigrationJobs, "default", "shop",
      [&](Json& job) {
        if (++calls == 1) {
          // Another writer gets in between our read and our write.
          auto patched = client.merge_patch_status(
              kMigrationJobs, "default", "shop", Json::parse(R"({"status":{"attempts":1}})"));
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
