// ObjectStore: the change history and the watches it feeds.
#include "object_store.h"

#include <algorithm>

#include "object_meta.h"

namespace schemagate::testing::kube {

using web::json::value;

void ObjectStore::record_locked(const std::string& type, const std::string& group_resource,
                                const value& object, const value& previous) {
  history_.push_back({resource_version_, type, group_resource, object, previous});
  if (history_.size() > history_limit_) {
    compacted_version_ = history_.front().resource_version;
    history_.pop_front();
  }
  for (auto& watcher : watchers_) deliver_locked(watcher, history_.back());
}

void ObjectStore::deliver_locked(Watcher& watcher, const Event& event) {
  if (watcher.type.group_resource() != event.group_resource || watcher.stream->closed()) return;
  if (!watcher.ns.empty() && meta_string(event.object, "namespace") != watcher.ns) return;
  auto selected = [&](const value& object) {
    return watcher.labels.matches(object) && watcher.fields.matches(object);
  };
  std::string type = event.type;
  bool now = selected(event.object);
  if (type == "MODIFIED") {
    // As the real server's watch cache: leaving the selection is a DELETED,
    // entering it an ADDED.
    bool before = selected(event.previous);
    if (!now && !before) return;
    if (!now) type = "DELETED";
    if (!before) type = "ADDED";
  } else if (!now) {
    return;
  }
  watcher.stream->send(type, served_as(watcher.type, event.object));
}

ApiResult<std::shared_ptr<WatchStream>> ObjectStore::watch(const ResourceType& type,
                                                           const std::string& ns,
                                                           const WatchOptions& options) {
  ApiResult<LabelSelector> labels = LabelSelector::parse(options.label_selector);
  if (!labels.ok()) return labels.error();
  ApiResult<FieldSelector> fields =
      FieldSelector::parse(options.field_selector, type.extra_field_labels);
  if (!fields.ok()) return fields.error();
  uint64_t from = 0;
  bool replay_state = options.resource_version.empty() || options.resource_version == "0";
  if (!replay_state) {
    try {
      from = std::stoull(options.resource_version);
    } catch (const std::exception&) {
      return bad_request("invalid resource version: " + options.resource_version);
    }
  }
  auto stream = std::make_shared<WatchStream>();
  Watcher watcher{type,
                  type.namespaced ? ns : "",
                  labels.value(),
                  fields.value(),
                  options.bookmarks,
                  std::chrono::steady_clock::now() + options.timeout,
                  stream};

  std::lock_guard<std::mutex> lock(mutex_);
  if (replay_state) {
    auto objects = objects_.find(type.group_resource());
    if (objects != objects_.end()) {
      for (const auto& [key, object] : objects->second) {
        deliver_locked(watcher, {resource_version_, "ADDED", type.group_resource(), object,
                                 value::null()});
      }
    }
  } else if (from < compacted_version_) {
    // The real server answers 200 and reports the expiry as the stream's only event.
    stream->send("ERROR", expired("too old resource version: " + std::to_string(from) + " (" +
                                  std::to_string(compacted_version_ + 1) + ")")
                              .to_status());
    stream->close();
    return stream;
  } else {
    for (const auto& event : history_) {
      if (event.resource_version > from) deliver_locked(watcher, event);
    }
  }
  watchers_.push_back(std::move(watcher));
  return stream;
}

void ObjectStore::compact() {
  std::lock_guard<std::mutex> lock(mutex_);
  history_.clear();
  compacted_version_ = resource_version_;
}

void ObjectStore::close_all_watches() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& watcher : watchers_) watcher.stream->close();
  watchers_.clear();
}

void ObjectStore::send_bookmarks() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& watcher : watchers_) {
    if (!watcher.bookmarks) continue;
    value bookmark = value::object();
    bookmark["kind"] = value::string(watcher.type.kind);
    bookmark["apiVersion"] = value::string(watcher.type.api_version());
    bookmark["metadata"]["resourceVersion"] = value::string(std::to_string(resource_version_));
    watcher.stream->send("BOOKMARK", bookmark);
  }
}

void ObjectStore::expire_watches(std::chrono::steady_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& watcher : watchers_) {
    if (watcher.deadline <= now) watcher.stream->close();
  }
  watchers_.erase(std::remove_if(watchers_.begin(), watchers_.end(),
                                 [](const Watcher& watcher) { return watcher.stream->closed(); }),
                  watchers_.end());
}

size_t ObjectStore::watch_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return watchers_.size();
}

}  // namespace schemagate::testing::kube
