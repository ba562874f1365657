#include "watch/informer.h"

#include <malloc.h>

#include <algorithm>

#include "schemagate/common/logging.h"
#include "workqueue/work_queue.h"

namespace schemagate::watch {
namespace {

bool is_gone_event(const kube::WatchEvent& event) {
  if (event.type != kube::WatchEvent::Type::kError || !event.object.is_object()) return false;
  const auto& status = event.object;
  if (status.has_integer_field("code") && status.at("code").as_integer() == 410) return true;
  if (!status.has_string_field("reason")) return false;
  const auto& reason = status.at("reason").as_string();
  return reason == "Expired" || reason == "Gone";
}

int64_t millis(kube::Duration delay) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
}

}  // namespace

Informer::Informer(ListWatcher& source, InformerOptions options)
    : source_(source), options_(options) {}

void Informer::add_handler(DeltaHandler handler) { handlers_.push_back(std::move(handler)); }

std::string Informer::resource_version() const {
  std::lock_guard<std::mutex> lock(version_mutex_);
  return resource_version_;
}

void Informer::deliver(const Delta& delta) {
  for (const auto& handler : handlers_) handler(delta);
}

void Informer::restarted(const std::string& reason) {
  if (options_.metrics) options_.metrics->on_watch_restart(source_.describe(), reason);
}

bool Informer::relist() {
  kube::ApiResult<kube::ObjectList> list = source_.list();
  if (!list) {
    log::warn("cannot list", {{"resource", source_.describe()},
                              {"kind", kube::to_string(list.error().kind())},
                              {"error", list.error().message()}});
    return false;
  }
  std::size_t listed = list->items.size();
  for (const auto& delta : store_.replace(std::move(list->items))) deliver(delta);
  {
    std::lock_guard<std::mutex> lock(version_mutex_);
    resource_version_ = list->resource_version;
  }
  // The list's pages were parsed at once and are freed now; glibc keeps that
  // peak in its heaps unless asked to give it back.
  malloc_trim(0);
  log::debug("listed", {{"resource", source_.describe()},
                        {"objects", static_cast<uint64_t>(listed)},
                        {"resource_version", list->resource_version}});
  synced_ = true;
  return true;
}

Informer::WatchEnd Informer::watch_once(StopSignal& stop, bool& saw_events,
                                        std::optional<std::chrono::seconds>& retry_after) {
  bool gone = false;
  bool error_event = false;
  kube::ApiStatus status = source_.watch(
      resource_version(),
      [&](const kube::WatchEvent& event) {
        if (event.type == kube::WatchEvent::Type::kError) {
          gone = is_gone_event(event);
          error_event = !gone;
          if (error_event) log::warn("watch error event", {{"resource", source_.describe()},
                                                     {"status", event.object.serialize()}});
          return false;
        }
        saw_events = true;
        if (event.type != kube::WatchEvent::Type::kBookmark) {
          if (auto delta = store_.apply(event.type, event.object)) deliver(*delta);
        }
        // Bookmarks exist only to move this forward.
        std::string version = kube::resource_version_of(event.object);
        if (!version.empty()) {
          std::lock_guard<std::mutex> lock(version_mutex_);
          resource_version_ = version;
        }
        return true;
      },
      stop);
  if (stop.stop_requested()) return WatchEnd::kStopped;
  if (gone || (!status && status.error().kind() == kube::ErrorKind::kGone)) return WatchEnd::kGone;
  if (error_event) return WatchEnd::kFailed;
  if (!status) {
    retry_after = status.error().retry_after();
    log::warn("watch failed", {{"resource", source_.describe()},
                               {"kind", kube::to_string(status.error().kind())},
                               {"error", status.error().message()}});
    return WatchEnd::kFailed;
  }
  return WatchEnd::kClosed;
}

void Informer::run(StopSignal& stop) {
  Clock& clock = *options_.clock;
  kube::Backoff backoff(options_.backoff);
  bool need_list = true;
  while (!stop.stop_requested()) {
    if (need_list) {
      if (!relist()) {
        if (!clock.sleep_for(backoff.next(), stop)) return;
        continue;
      }
      need_list = false;
      backoff.reset();
    }
    bool saw_events = false;
    std::optional<std::chrono::seconds> retry_after;
    switch (watch_once(stop, saw_events, retry_after)) {
      case WatchEnd::kStopped:
        return;
      case WatchEnd::kGone:
        // Our resourceVersion was compacted away: only a list can tell
        // what happened in between.
        log::info("watch resourceVersion expired; listing again",
                  {{"resource", source_.describe()}, {"resource_version", resource_version()}});
        restarted("gone");
        need_list = true;
        break;
      case WatchEnd::kFailed: {
        // 429 and 503 say how long to stay away; otherwise back off.
        kube::Duration delay = backoff.next();
        if (retry_after) delay = std::max<kube::Duration>(delay, *retry_after);
        restarted("error");
        log::debug("watching again after a delay", {{"resource", source_.describe()},
                                                    {"delay_ms", millis(delay)}});
        if (!clock.sleep_for(delay, stop)) return;
        break;
      }
      case WatchEnd::kClosed:
        restarted("closed");
        // Servers end watches routinely; reopen at once, unless the stream
        // keeps closing without delivering anything.
        if (saw_events) {
          backoff.reset();
        } else if (!clock.sleep_for(backoff.next(), stop)) {
          return;
        }
        break;
    }
  }
}

DeltaHandler enqueue_keys(workqueue::WorkQueue& queue) {
  return [&queue](const Delta& delta) { queue.add(delta.key); };
}

}  // namespace schemagate::watch
