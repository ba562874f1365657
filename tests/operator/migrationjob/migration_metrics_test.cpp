#include <catch2/catch.hpp>

#include "migrationjob/migration_metrics.h"
#include "watch/store.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using kube::Json;

namespace {

struct PhaseCounts final : MigrationMetrics {
  std::map<std::string, int> counts;
  void on_phase_change(const std::string& from, const std::string& to) override {
    if (!from.empty()) --counts[from];
    if (!to.empty()) ++counts[to];
  }
  void on_migration_finished(const std::string&, double) override {}
  void on_rollout_held(const std::string&) override {}
  void on_rollout_released(const std::string&) override {}
};

Json object(const std::string& name, const std::string& version, const std::string& phase) {
  Json result = Json::parse(R"({"metadata": {"namespace": "shop"}})");
  result["metadata"]["name"] = Json::string(name);
  result["metadata"]["resourceVersion"] = Json::string(version);
  if (!phase.empty()) result["status"]["phase"] = Json::string(phase);
  return result;
}

}  // namespace

TEST_CASE("MigrationJobs are counted by phase as the cache changes, relists included",
          "[migration][metrics]") {
  PhaseCounts metrics;
  watch::DeltaHandler handler = count_phases(metrics);
  watch::Store store;
  auto deliver = [&](const std::vector<watch::Delta>& deltas) {
    for (const auto& delta : deltas) handler(delta);
  };
  deliver(store.replace({object("a", "1", ""), object("b", "1", "Running")}));
  CHECK(metrics.counts == std::map<std::string, int>{{"Pending", 1}, {"Running", 1}});
  auto changed = store.apply(kube::WatchEvent::Type::kModified, object("a", "2", "Running"));
  REQUIRE(changed);
  handler(*changed);
  CHECK(metrics.counts == std::map<std::string, int>{{"Pending", 0}, {"Running", 2}});
  // A relist after a gap: b finished, a was deleted.
  deliver(store.replace({object("b", "3", "Succeeded")}));
  CHECK(metrics.counts ==
        std::map<std::string, int>{{"Pending", 0}, {"Running", 0}, {"Succeeded", 1}});
}
