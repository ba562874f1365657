#include "watch/store.h"

namespace schemagate::watch {

Store::Entry Store::compact(const Json& object) {
  Entry entry{kube::resource_version_of(object), object.serialize()};
  entry.text.shrink_to_fit();
  return entry;
}

Json Store::expand(const Entry& entry) {
  // The text is our own serialization of a parsed object, so it parses.
  std::error_code error;
  Json object = Json::parse(entry.text, error);
  return error ? Json::object() : object;
}

std::vector<Delta> Store::replace(std::vector<Json> objects) {
  std::map<std::string, Json> next;
  for (auto& object : objects) {
    std::string key = kube::object_key(object);
    next[key] = std::move(object);
  }

  std::vector<Delta> deltas;
  std::map<std::string, Entry> entries;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, object] : next) {
    Entry entry = compact(object);
    auto previous = objects_.find(key);
    if (previous == objects_.end()) {
      deltas.push_back({Delta::Type::kAdded, key, Json(), std::move(object)});
    } else if (previous->second.resource_version != entry.resource_version) {
      deltas.push_back({Delta::Type::kUpdated, key, expand(previous->second), std::move(object)});
    }
    entries.emplace(key, std::move(entry));
  }
  for (const auto& [key, entry] : objects_) {
    if (!next.count(key)) deltas.push_back({Delta::Type::kDeleted, key, Json(), expand(entry)});
  }
  objects_ = std::move(entries);
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
    objects_.emplace(key, compact(object));
    return Delta{Delta::Type::kAdded, key, Json(), object};
  }
  if (previous->second.resource_version == kube::resource_version_of(object)) return std::nullopt;
  Delta delta{Delta::Type::kUpdated, key, expand(previous->second), object};
  previous->second = compact(object);
  return delta;
}

std::optional<Json> Store::get(const std::string& key) const {
  Entry entry;
  {
    // Parsed outside the lock: the workers and the informer read at once.
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = objects_.find(key);
    if (found == objects_.end()) return std::nullopt;
    entry = found->second;
  }
  return expand(entry);
}

std::vector<Json> Store::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Json> all;
  for (const auto& [key, entry] : objects_) all.push_back(expand(entry));
  return all;
}

std::vector<std::string> Store::keys() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> all;
  for (const auto& [key, entry] : objects_) all.push_back(key);
  return all;
}

std::size_t Store::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return objects_.size();
}

}  // namespace schemagate::watch
