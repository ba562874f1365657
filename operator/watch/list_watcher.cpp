#include "watch/list_watcher.h"

namespace schemagate::watch {

kube::ApiResult<kube::ObjectList> ClientListWatcher::list() {
  kube::ListOptions options;
  options.label_selector = label_selector_;
  options.limit = page_size_;
  return client_.list_all(ref_, ns_, options);
}

kube::ApiStatus ClientListWatcher::watch(
    const std::string& resource_version,
    const std::function<bool(const kube::WatchEvent&)>& on_event, StopSignal& stop) {
  kube::WatchOptions options;
  options.label_selector = label_selector_;
  options.resource_version = resource_version;
  options.allow_bookmarks = true;
  options.timeout_seconds = watch_timeout_seconds_;
  return client_.watch(ref_, ns_, options, on_event, stop);
}

std::string ClientListWatcher::describe() const {
  return ref_.group.empty() ? ref_.plural : ref_.plural + "." + ref_.group;
}

}  // namespace schemagate::watch
