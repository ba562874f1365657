#include <catch2/catch.hpp>

#include "migrationjob/secret_references.h"
#include "operator/migrationjob/fixtures.h"
#include "workqueue/work_queue.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using kube::Json;
using watch::Delta;

namespace {

Json naming(const std::string& secret) {
  Json object = testing::migration_job_object();
  object["spec"]["database"]["urlSecretRef"]["name"] = Json::string(secret);
  return object;
}

Delta change(Delta::Type type, const std::string& key, Json object) {
  return Delta{type, key, Json(), std::move(object)};
}

// Every key the queue hands out now, each marked done.
std::set<std::string> drain(workqueue::WorkQueue& queue) {
  std::set<std::string> keys;
  while (queue.len() > 0) {
    std::optional<std::string> key = queue.get();
    keys.insert(*key);
    queue.done(*key);
  }
  return keys;
}

}  // namespace

TEST_CASE("a Secret's change re-queues exactly the MigrationJobs that name it",
          "[migration][secret-references]") {
  SecretReferences references;
  workqueue::WorkQueue queue;
  watch::DeltaHandler track = references.track();
  watch::DeltaHandler secret_changed = references.enqueue_referrers(queue);
  track(change(Delta::Type::kAdded, "shop/a", naming("shop-db")));
  track(change(Delta::Type::kAdded, "shop/b", naming("shop-db")));
  track(change(Delta::Type::kAdded, "shop/c", naming("other")));

  secret_changed(change(Delta::Type::kAdded, "shop/shop-db", Json::object()));
  CHECK(drain(queue) == std::set<std::string>{"shop/a", "shop/b"});
  // The same name in another namespace is another Secret.
  secret_changed(change(Delta::Type::kAdded, "billing/shop-db", Json::object()));
  CHECK(drain(queue).empty());

  SECTION("a MigrationJob that names another Secret now leaves the old one's list") {
    track(change(Delta::Type::kUpdated, "shop/b", naming("other")));
    CHECK(references.referrers("shop/shop-db") == std::set<std::string>{"shop/a"});
    CHECK(references.referrers("shop/other") == std::set<std::string>{"shop/b", "shop/c"});
  }
  SECTION("a deleted MigrationJob is forgotten") {
    track(change(Delta::Type::kDeleted, "shop/a", naming("shop-db")));
    track(change(Delta::Type::kDeleted, "shop/b", naming("shop-db")));
    CHECK(references.referrers("shop/shop-db").empty());
    secret_changed(change(Delta::Type::kUpdated, "shop/shop-db", Json::object()));
    CHECK(drain(queue).empty());
  }
}
