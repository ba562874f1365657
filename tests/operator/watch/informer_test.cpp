#include <catch2/catch.hpp>

#include <deque>

#include "support/fake_clock.h"
#include "watch/informer.h"
#include "workqueue/work_queue.h"

using schemagate::StopSignal;
using schemagate::kube::ApiError;
using schemagate::kube::ApiResult;
using schemagate::kube::ApiStatus;
using schemagate::kube::Done;
using schemagate::kube::ErrorKind;
using schemagate::kube::Json;
using schemagate::kube::ObjectList;
using schemagate::kube::WatchEvent;
using schemagate::testing::FakeClock;
using schemagate::watch::Delta;
using schemagate::watch::Informer;
using schemagate::watch::InformerOptions;

namespace {

Json object(const std::string& name, const std::string& version) {
  return Json::parse(R"({"metadata":{"namespace":"ns","name":")" + name +
                     R"(","resourceVersion":")" + version + R"("}})");
}

Json status(int code, const std::string& reason) {
  return Json::parse(R"({"kind":"Status","status":"Failure","reason":")" + reason +
                     R"(","code":)" + std::to_string(code) + "}");
}

// One scripted watch: the events it streams, then how it ends.
struct WatchScript {
  std::vector<WatchEvent> events;
  ApiStatus end = Done{};
};

// Plays back lists and watches in order; once the watches run out, it
// requests stop, so Informer::run returns.
class ScriptedListWatcher final : public schemagate::watch::ListWatcher {
 public:
  std::deque<ApiResult<ObjectList>> lists;
  std::deque<WatchScript> watches;
  std::vector<std::string> watched_from;
  int list_calls = 0;

  ApiResult<ObjectList> list() override {
    ++list_calls;
    REQUIRE_FALSE(lists.empty());
    auto next = lists.front();
    lists.pop_front();
    return next;
  }
  ApiStatus watch(const std::string& version,
                  const std::function<bool(const WatchEvent&)>& on_event,
                  StopSignal& stop) override {
    watched_from.push_back(version);
    if (watches.empty()) {
      stop.request_stop();
      return Done{};
    }
    WatchScript script = watches.front();
    watches.pop_front();
    for (const auto& event : script.events) {
      if (!on_event(event)) break;
    }
    return script.end;
  }
  std::string describe() const override { return "things"; }
};

ObjectList list_of(std::vector<Json> items, const std::string& version) {
  return ObjectList{std::move(items), version, ""};
}


}  // namespace

TEST_CASE("the informer resumes from bookmarks and relists on a 410 ERROR event",
          "[watch][informer]") {
  ScriptedListWatcher source;
  source.lists.push_back(list_of({object("a", "1"), object("b", "2")}, "2"));
  source.watches.push_back(WatchScript{{
      {WatchEvent::Type::kModified, object("a", "3")},
      {WatchEvent::Type::kBookmark, Json::parse(R"({"metadata":{"resourceVersion":"5"}})")},
  }});
  source.watches.push_back(WatchScript{{{WatchEvent::Type::kError, status(410, "Expired")}}});
  // During the gap b was deleted and c created.
  source.lists.push_back(list_of({object("a", "3"), object("c", "7")}, "7"));
  source.watches.push_back(WatchScript{{}, ApiError(ErrorKind::kTransport, "reset")});
  source.watches.push_back(WatchScript{{{WatchEvent::Type::kDeleted, object("a", "8")}}});

  FakeClock clock;
  InformerOptions options;
  options.clock = &clock;
  Informer informer(source, options);
  std::vector<std::string> seen;
  informer.add_handler([&](const Delta& delta) {
    const char* type = delta.type == Delta::Type::kAdded     ? "added"
                       : delta.type == Delta::Type::kUpdated ? "updated"
                                                             : "deleted";
    seen.push_back(std::string(type) + " " + delta.key + "@" +
                   schemagate::kube::resource_version_of(delta.object));
  });
  CHECK_FALSE(informer.has_synced());
  StopSignal stop;
  informer.run(stop);

  CHECK(informer.has_synced());
  CHECK(source.list_calls == 2);
  CHECK(source.watched_from == std::vector<std::string>{"2", "5", "7", "7", "8"});
  CHECK(seen == std::vector<std::string>{"added ns/a@1", "added ns/b@2", "updated ns/a@3",
                                         "added ns/c@7", "deleted ns/b@2", "deleted ns/a@8"});
  CHECK(informer.store().keys() == std::vector<std::string>{"ns/c"});
  // Only the broken stream waited; the 410 relisted at once.
  CHECK(clock.sleeps().size() == 1);
}

TEST_CASE("an HTTP 410 on the watch relists too", "[watch][informer]") {
  ScriptedListWatcher source;
  source.lists.push_back(list_of({object("a", "1")}, "1"));
  source.watches.push_back(WatchScript{{}, ApiError(ErrorKind::kGone, "too old", 410, "Expired")});
  source.lists.push_back(list_of({}, "9"));
  FakeClock clock;
  InformerOptions options;
  options.clock = &clock;
  Informer informer(source, options);
  std::vector<Delta::Type> types;
  informer.add_handler([&](const Delta& delta) { types.push_back(delta.type); });
  StopSignal stop;
  informer.run(stop);
  CHECK(source.list_calls == 2);
  CHECK(types == std::vector<Delta::Type>{Delta::Type::kAdded, Delta::Type::kDeleted});
  CHECK(informer.store().size() == 0);
  CHECK(informer.resource_version() == "9");
}

TEST_CASE("a failing list is retried with backoff until it succeeds", "[watch][informer]") {
  ScriptedListWatcher source;
  source.lists.push_back(ApiError(ErrorKind::kServerError, "boom", 500));
  source.lists.push_back(ApiError(ErrorKind::kTooManyRequests, "slow", 429));
  source.lists.push_back(list_of({object("a", "1")}, "1"));
  FakeClock clock;
  InformerOptions options;
  options.clock = &clock;
  options.backoff = {std::chrono::milliseconds(10), std::chrono::seconds(1), 2.0, 0.0};
  Informer informer(source, options);
  StopSignal stop;
  informer.run(stop);
  CHECK(informer.has_synced());
  CHECK(clock.sleeps() == std::vector<std::chrono::nanoseconds>{std::chrono::milliseconds(10),
                                                                std::chrono::milliseconds(20)});
}

TEST_CASE("enqueue_keys puts changed keys on the work queue", "[watch][informer]") {
  ScriptedListWatcher source;
  source.lists.push_back(list_of({object("a", "1"), object("b", "1")}, "1"));
  source.watches.push_back(WatchScript{{{WatchEvent::Type::kModified, object("a", "2")}}});
  schemagate::workqueue::WorkQueue queue;
  FakeClock clock;
  InformerOptions options;
  options.clock = &clock;
  Informer informer(source, options);
  informer.add_handler(schemagate::watch::enqueue_keys(queue));
  StopSignal stop;
  informer.run(stop);
  CHECK(queue.len() == 2);  // a deduplicated
}
