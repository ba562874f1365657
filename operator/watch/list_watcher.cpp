#include "watch/list_watcher.h"

namespace schemagate::watch {

kube::ApiResult<kube::ObjectList> ClientListWatcher::list() {
  kube::ListOptions options;
  options.label_selector = label_selector_;
  options.field_selector = field_selector_;
  options.limit = page_size_;
  // Page by page (not Client::list_all), each page stripped before the next
  // is read: only one page of whole objects is ever held.
  kube::ObjectList all;
  do {
    kube::ApiResult<kube::ObjectList> page = client_.list(ref_, ns_, options);
    if (!page) return page.error();
    for (kube::Json& object : page->items) {
      transform_(object);
      all.items.push_back(std::move(object));
    }
    all.resource_version = page->resource_version;
    options.continue_token = page->continue_token;
  } while (!options.continue_token.empty());
  return all;
}

kube::ApiStatus ClientListWatcher::watch(
    const std::string& resource_version,
    const std::function<bool(const kube::WatchEvent&)>& on_event, StopSignal& stop) {
  kube::WatchOptions options;
  options.label_selector = label_selector_;
  options.field_selector = field_selector_;
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
