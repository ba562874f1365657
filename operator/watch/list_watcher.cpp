#include "watch/list_watcher.h"

namespace schemagate::watch {

kube::ApiResult<kube::ObjectList> ClientListWatcher::list() {
  kube::ListOptions options;
  options.label_selector = label_selector_;
  options.limit = page_size_;
  kube::ApiResult<kube::ObjectList> listed = client_.list_all(ref_, ns_, options);
  if (listed) {
    for (kube::Json& object : listed->items) transform_(object);
  }
  return listed;
}

kube::ApiStatus ClientListWatcher::watch(
    const std::string& resource_version,
    const std::function<bool(const kube::WatchEvent&)>& on_event, StopSignal& stop) {
  kube::WatchOptions options;
  options.label_selector = label_selector_;
  options.resource_version = resource_version;
  options.allow_bookmarks = true;
  options.timeout_seconds = watch_timeout_seconds_;
  return client_.watch(
      ref_, ns_, options,
      [&](const kube::WatchEvent& event) {
        if (event.type == kube::WatchEvent::Type::kBookmark ||
            event.type == kube::WatchEvent::Type::kError) {
          return on_event(event);
        }
        kube::WatchEvent stripped = event;
        transform_(stripped.object);
        return on_event(stripped);
      },
      stop);
}

std::string ClientListWatcher::describe() const {
  return ref_.group.empty() ? ref_.plural : ref_.plural + "." + ref_.group;
}

}  // namespace schemagate::watch
