#include "watch/store.h"

namespace schemagate::watch {

std::vector<Delta> Store::replace(std::vector<Json> objects) {
  std::map<std::string, Json> next;
  for (auto& object : objects) {
    std::string key = kube::object_key(object);
    next[key] = std::move(object);
  }

  std::vector<Delta> deltas;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, object] : next) {
    auto previous = objects_.find(key);
    if (previous == objects_.end()) {
      deltas.push_back({Delta::Type::kAdded, key, Json(), object});
    } else if (kube::resource_version_of(previous->second) != kube::resource_version_of(object)) {
      deltas.push_back({Delta::Type::kUpdated, key, previous->second, object});
    }
  }
  for (const auto& [key, object] : objects_) {
    if (!next.count(key)) deltas.push_back({Delta::Type::kDeleted, key, Json(), object});
  }
  objects_ = std::move(next);
  return deltas;
}

std::optional<Delta> Store::apply(kube::WatchEvent::Type type, const Json& object) {
  std::string key = kube::object_key(object);
  std::lock_guard<std::mutex> lock(mutex_);
  auto previous = objects_.find(key);
  if (type == kube::WatchEvent::Type::kDeleted) {
    if (previous == objects_.end()) return std::nullopt;
    objects_.erase(previous);
    return Delta{Delta::Type::kDeleted, key, Json(), object};
  }
  if (previous == objects_.end()) {
    objects_.emplace(key, object);
    return Delta{Delta::Type::kAdded, key, Json(), object};
  }
  if (kube::resource_version_of(previous->second) == kube::resource_version_of(object)) {
    return std::nullopt;
  }
  Delta delta{Delta::Type::kUpdated, key, previous->second, object};
  previous->second = object;
  return delta;
}

std::optional<Json> Store::get(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = objects_.find(key);
  if (found == objects_.end()) return std::nullopt;
  return found->second;
}

std::vector<Json> Store::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Json> all;
  for (const auto& [key, object] : objects_) all.push_back(object);
  return all;
}

std::vector<std::string> Store::keys() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> all;
  for (const auto& [key, object] : objects_) all.push_back(key);
  return all;
}

std::size_t Store::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return objects_.size();
}

}  // namespace schemagate::watch
