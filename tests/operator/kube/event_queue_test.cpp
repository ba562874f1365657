#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include "kube/event_queue.h"
#include "kube/json_path.h"
#include "support/fake_object_client.h"

using namespace schemagate;
using kube::Json;
using testing::FakeObjectClient;

namespace {

const kube::ResourceRef kEvents{"", "v1", "events", true};

Json event(const std::string& name, const std::string& reason) {
  Json object = Json::parse(R"({"apiVersion": "v1", "kind": "Event",
    "metadata": {"namespace": "shop"}, "involvedObject": {"kind": "MigrationJob", "name": "m"}})");
  object["metadata"]["name"] = Json::string(name);
  object["reason"] = Json::string(reason);
  return object;
}

// A client whose creates wait until the test opens the gate: a slow server.
class GatedClient final : public kube::ObjectClient {
 public:
  explicit GatedClient(FakeObjectClient& api) : api_(api) {}
  /// Blocks until a create is waiting at the gate.
  void wait_for_caller() {
    std::unique_lock<std::mutex> lock(mutex_);
    opened_.wait(lock, [this] { return waiting_ > 0; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }
  kube::ApiResult<Json> create(const kube::ResourceRef& ref, const std::string& ns,
                               const Json& object) override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    opened_.notify_all();
    opened_.wait(lock, [this] { return open_; });
    return api_.create(ref, ns, object);
  }
  kube::ApiResult<Json> get(const kube::ResourceRef& ref, const std::string& ns,
                            const std::string& name) override {
    return api_.get(ref, ns, name);
  }
  kube::ApiResult<kube::ObjectList> list(const kube::ResourceRef& ref, const std::string& ns,
                                         const kube::ListOptions& options) override {
    return api_.list(ref, ns, options);
  }
  kube::ApiResult<Json> update(const kube::ResourceRef& ref, const Json& object) override {
    return api_.update(ref, object);
  }
  kube::ApiResult<Json> merge_patch(const kube::ResourceRef& ref, const std::string& ns,
                                    const std::string& name, const Json& patch) override {
    return api_.merge_patch(ref, ns, name, patch);
  }
  kube::ApiResult<Json> update_status(const kube::ResourceRef& ref, const Json& object) override {
    return api_.update_status(ref, object);
  }
  kube::ApiStatus remove(const kube::ResourceRef& ref, const std::string& ns,
                         const std::string& name) override {
    return api_.remove(ref, ns, name);
  }

 private:
  FakeObjectClient& api_;
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
  int waiting_ = 0;
};

std::vector<std::string> created_names(FakeObjectClient& api) {
  std::vector<std::string> names;
  for (const auto& request : api.requests()) {
    if (request.verb == FakeObjectClient::Verb::kCreate) names.push_back(request.name);
  }
  return names;
}

}  // namespace

TEST_CASE("events are sent from the queue's thread, in the order they were posted",
          "[event-queue]") {
  FakeObjectClient api;
  GatedClient slow(api);
  kube::EventQueue queue(slow);
  // The server does not answer: posting does not wait for it.
  CHECK(queue.post(event("m.3.started", "Started")));
  CHECK(queue.post(event("m.3.rolloutheld", "RolloutHeld")));
  CHECK(queue.post(event("m.3.succeeded", "Succeeded")));
  CHECK(api.objects(kEvents).empty());
  slow.open();
  queue.flush();
  CHECK(created_names(api) ==
        std::vector<std::string>{"m.3.started", "m.3.rolloutheld", "m.3.succeeded"});
}

TEST_CASE("the same event queued twice is sent once; one the server has counts as sent",
          "[event-queue]") {
  FakeObjectClient api;
  GatedClient slow(api);
  kube::EventQueue queue(slow);
  CHECK(queue.post(event("m.3.a", "A")));
  CHECK(queue.post(event("m.3.b", "B")));
  CHECK_FALSE(queue.post(event("m.3.b", "B")));  // still queued: aggregated
  slow.open();
  queue.flush();
  CHECK(queue.post(event("m.3.b", "B")));  // sent already: AlreadyExists, no error
  queue.flush();
  CHECK(api.objects(kEvents).size() == 2);
  CHECK(created_names(api) == std::vector<std::string>{"m.3.a", "m.3.b", "m.3.b"});
}

TEST_CASE("a full queue drops new events instead of blocking the reconcile", "[event-queue]") {
  FakeObjectClient api;
  GatedClient slow(api);
  kube::EventQueue queue(slow, 2);
  CHECK(queue.post(event("e1", "A")));
  slow.wait_for_caller();  // e1 is in flight, off the queue
  CHECK(queue.post(event("e2", "A")));
  CHECK(queue.post(event("e3", "A")));
  CHECK_FALSE(queue.post(event("e4", "A")));
  CHECK(queue.dropped() == 1);
  slow.open();
  queue.flush();
  CHECK(created_names(api) == std::vector<std::string>{"e1", "e2", "e3"});
}

TEST_CASE("a failed POST is given up, and the events after it still go", "[event-queue]") {
  FakeObjectClient api;
  api.fail_next(FakeObjectClient::Verb::kCreate, "events", kube::ErrorKind::kServerError);
  kube::EventQueue queue(api);
  queue.post(event("e1", "A"));
  queue.post(event("e2", "B"));
  queue.flush();
  REQUIRE(api.objects(kEvents).size() == 1);
  CHECK(kube::name_of(api.objects(kEvents).front()) == "e2");
}

TEST_CASE("destroying the queue sends what is still queued", "[event-queue]") {
  FakeObjectClient api;
  {
    kube::EventQueue queue(api);
    for (int i = 0; i < 20; ++i) queue.post(event("e" + std::to_string(i), "A"));
  }
  CHECK(api.objects(kEvents).size() == 20);
}
