#include <catch2/catch.hpp>

#include "migrationjob/rollout_progress.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using kube::Json;
using State = RolloutProgress::State;

namespace {

// A Deployment of 2 replicas at generation 4, with `status` (JSON text).
Json deployment(const std::string& status) {
  return Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "shop-api", "generation": 4},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "shop"}},
             "template": {"metadata": {"labels": {"app": "shop"}},
                          "spec": {"containers": [{"name": "api", "image": "shop:2"}]}}},
    "status": )" + status + "}");
}

constexpr const char* kDone = R"({"observedGeneration": 4, "replicas": 2, "updatedReplicas": 2,
    "availableReplicas": 2})";

// A pod of a ReplicaSet with `hash`, terminating when `deleting`.
Json replica_set_pod(const std::string& hash, bool deleting = false) {
  Json pod = Json::parse(R"({"metadata": {"name": "p", "labels": {"app": "shop"},
    "ownerReferences": [{"kind": "ReplicaSet", "name": "rs", "uid": "rs-1", "controller": true}]}})");
  pod["metadata"]["labels"]["pod-template-hash"] = Json::string(hash);
  if (deleting) pod["metadata"]["deletionTimestamp"] = Json::string("2026-12-07T20:00:00Z");
  return pod;
}

Json stateful_set(const std::string& status, const std::string& strategy = "RollingUpdate") {
  Json set = Json::parse(R"({"apiVersion": "apps/v1", "kind": "StatefulSet",
    "metadata": {"name": "shop-worker", "uid": "ss-1", "generation": 2},
    "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "worker"}}},
    "status": )" + status + "}");
  set["spec"]["updateStrategy"]["type"] = Json::string(strategy);
  return set;
}

Json stateful_pod(const std::string& revision) {
  Json pod = Json::parse(R"({"metadata": {"name": "w", "labels": {"app": "worker"},
    "ownerReferences": [{"kind": "StatefulSet", "name": "shop-worker", "uid": "ss-1", "controller": true}]}})");
  pod["metadata"]["labels"]["controller-revision-hash"] = Json::string(revision);
  return pod;
}

RolloutProgress progress_of(const Json& workload, const std::vector<Json>& pods) {
  std::vector<PodView> views;
  for (const Json& pod : pods) views.push_back(read_pod(pod));
  return read_rollout_progress(read_workload(workload), views);
}

}  // namespace

TEST_CASE("a Deployment's rollout is complete only once every old pod is gone", "[migration][rollout]") {
  std::vector<Json> new_pods{replica_set_pod("b"), replica_set_pod("b")};
  RolloutProgress done = progress_of(deployment(kDone), new_pods);
  CHECK(done.state == State::kComplete);
  CHECK(done.message == "all 2 pods updated");

  // The counts say done, but an old pod is still terminating: it still queries.
  std::vector<Json> with_terminating = new_pods;
  with_terminating.push_back(replica_set_pod("a", true));
  RolloutProgress leaving = progress_of(deployment(kDone), with_terminating);
  CHECK(leaving.state == State::kProgressing);
  CHECK(leaving.message == "1 old pod not gone yet");

  // Pods of another controller that the selector happens to match do not count.
  std::vector<Json> with_stranger = new_pods;
  with_stranger.push_back(Json::parse(R"({"metadata": {"name": "debug",
      "deletionTimestamp": "2026-12-07T20:00:00Z", "labels": {"app": "shop"}}})"));
  CHECK(progress_of(deployment(kDone), with_stranger).state == State::kComplete);
}

TEST_CASE("a Deployment's rollout in progress says what is left", "[migration][rollout]") {
  struct Case {
    const char* status;
    const char* message;
  };
  for (const Case& c : {
           Case{R"({"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2})",
                "waiting for the Deployment controller to see generation 4"},
           Case{R"({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 1, "availableReplicas": 2})",
                "1 of 2 pods updated"},
           Case{R"({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 2, "availableReplicas": 2})",
                "1 old pod still running"},
           Case{R"({"observedGeneration": 4, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 1})",
                "1 of 2 updated pods available"},
           Case{R"({})", "waiting for the Deployment controller to see generation 4"},
       }) {
    RolloutProgress progress = progress_of(deployment(c.status), {});
    INFO(c.status);
    CHECK(progress.state == State::kProgressing);
    CHECK(progress.message == c.message);
  }
}

TEST_CASE("a Deployment past its progress deadline has failed", "[migration][rollout]") {
  RolloutProgress failed = progress_of(
      deployment(R"({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 1,
          "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                         {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                          "message": "ReplicaSet \"shop-api-b\" has timed out progressing."}]})"),
      {});
  CHECK(failed.state == State::kFailed);
  CHECK(failed.message ==
        R"(ProgressDeadlineExceeded: ReplicaSet "shop-api-b" has timed out progressing.)");
}

TEST_CASE("a StatefulSet's rollout is complete at one revision with every replica ready",
          "[migration][rollout]") {
  const char* done = R"({"observedGeneration": 2, "replicas": 2, "readyReplicas": 2,
      "updatedReplicas": 2, "currentRevision": "w-2", "updateRevision": "w-2"})";
  CHECK(progress_of(stateful_set(done), {stateful_pod("w-2"), stateful_pod("w-2")}).state ==
        State::kComplete);
  RolloutProgress old = progress_of(stateful_set(done), {stateful_pod("w-2"), stateful_pod("w-1")});
  CHECK(old.state == State::kProgressing);
  CHECK(old.message == "1 old pod not gone yet");
  RolloutProgress midway = progress_of(
      stateful_set(R"({"observedGeneration": 2, "replicas": 2, "readyReplicas": 2,
          "updatedReplicas": 1, "currentRevision": "w-1", "updateRevision": "w-2"})"),
      {});
  CHECK(midway.state == State::kProgressing);
  CHECK(midway.message == "1 of 2 pods updated");
  RolloutProgress unready = progress_of(
      stateful_set(R"({"observedGeneration": 2, "replicas": 2, "readyReplicas": 1,
          "updatedReplicas": 2, "currentRevision": "w-2", "updateRevision": "w-2"})"),
      {});
  CHECK(unready.message == "1 of 2 pods ready");
}

TEST_CASE("an OnDelete StatefulSet's rollout is complete once every pod is deleted and updated",
          "[migration][rollout]") {
  // Its controller leaves currentRevision behind for good, even with every pod updated.
  const char* updated = R"({"observedGeneration": 2, "replicas": 2, "readyReplicas": 2,
      "updatedReplicas": 2, "currentRevision": "w-1", "updateRevision": "w-2"})";
  CHECK(progress_of(stateful_set(updated, "OnDelete"), {stateful_pod("w-2"), stateful_pod("w-2")})
            .state == State::kComplete);
  RolloutProgress rolling = progress_of(stateful_set(updated), {stateful_pod("w-2"), stateful_pod("w-2")});
  CHECK(rolling.state == State::kProgressing);
  CHECK(rolling.message == "2 of 2 pods updated");
  RolloutProgress one_deleted = progress_of(
      stateful_set(R"({"observedGeneration": 2, "replicas": 2, "readyReplicas": 2,
          "updatedReplicas": 1, "currentRevision": "w-1", "updateRevision": "w-2"})", "OnDelete"),
      {stateful_pod("w-2"), stateful_pod("w-1")});
  CHECK(one_deleted.state == State::kProgressing);
  CHECK(one_deleted.message == "1 of 2 pods updated");
  RolloutProgress unready = progress_of(stateful_set(R"({"observedGeneration": 2, "replicas": 2,
      "readyReplicas": 1, "updatedReplicas": 2, "currentRevision": "w-1", "updateRevision": "w-2"})",
      "OnDelete"), {stateful_pod("w-2"), stateful_pod("w-2")});
  CHECK(unready.message == "1 of 2 pods ready");
}

TEST_CASE("a workload's selector becomes a label selector query", "[migration][rollout]") {
  CHECK(read_workload(deployment("{}")).selector == "app=shop");
  Json workload = Json::parse(R"({"spec": {"selector": {"matchLabels": {"app": "shop", "tier": "web"},
      "matchExpressions": [{"key": "track", "operator": "In", "values": ["stable", "canary"]},
                           {"key": "legacy", "operator": "DoesNotExist"},
                           {"key": "zone", "operator": "NotIn", "values": ["b"]},
                           {"key": "owner", "operator": "Exists"}]}}})");
  CHECK(read_workload(workload).selector ==
        "app=shop,tier=web,track in (stable,canary),!legacy,zone notin (b),owner");
  CHECK(read_workload(Json::parse("{}")).selector.empty());
}

TEST_CASE("a workload's template hash changes with its template only", "[migration][rollout]") {
  Json first = deployment(kDone);
  Json scaled = first;
  scaled["spec"]["replicas"] = Json::number(5);
  scaled["status"]["replicas"] = Json::number(5);
  CHECK(read_workload(first).template_hash == read_workload(scaled).template_hash);
  CHECK(read_workload(first).template_hash.size() == 16);
  Json rolled_back = first;
  rolled_back["spec"]["template"]["spec"]["containers"][0]["image"] = Json::string("shop:1");
  CHECK(read_workload(first).template_hash != read_workload(rolled_back).template_hash);
}
