#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kube/object.h"

namespace schemagate::watch {

using kube::Json;

/// One change of the cache, as handed to event handlers.
struct Delta {
  enum class Type { kAdded, kUpdated, kDeleted };
  Type type;
  std::string key;
  Json old_object;  ///< kUpdated: the previous state
  Json object;      ///< the new state; kDeleted: the last known state
};

/// The informer's cache: the latest state of each object, keyed by
/// "namespace/name". Thread-safe; readers get copies, so nothing outside can
/// change the cache through them. Objects are held as compact JSON text, a
/// third of the memory of a parsed tree, and parsed again on the way out (a
/// few microseconds, next to a reconcile's round trips).
class Store {
 public:
  /// Makes `objects` the whole content (after a list) and returns the
  /// differences to the previous content: objects that appeared, changed
  /// (other resourceVersion) or disappeared. This is how a relist after a
  /// watch gap turns into the events that were missed.
  std::vector<Delta> replace(std::vector<Json> objects);

  /// Applies a watch event (kAdded, kModified, kDeleted); nullopt when it
  /// changes nothing (an event already seen, a delete of an unknown object).
  std::optional<Delta> apply(kube::WatchEvent::Type type, const Json& object);

  std::optional<Json> get(const std::string& key) const;
  std::vector<Json> list() const;
  std::vector<std::string> keys() const;
  std::size_t size() const;

 private:
  struct Entry {
    std::string resource_version;
    std::string text;
  };
  static Entry compact(const Json& object);
  static Json expand(const Entry& entry);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> objects_;
};

}  // namespace schemagate::watch
