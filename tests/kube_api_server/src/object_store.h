#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <cpprest/json.h>

#include "api_error.h"
#include "resource_registry.h"
#include "selectors.h"
#include "watch_stream.h"

namespace schemagate::testing::kube {

enum class Subresource { kMain, kStatus };
enum class PatchType { kMerge, kStrategicMerge, kJson };

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  size_t limit = 0;  ///< 0: everything
  std::string continue_token;
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  ///< "" or "0": start with ADDED events for what exists
  bool bookmarks = false;
  std::chrono::seconds timeout{1800};
};

struct DeleteOptions {
  std::string propagation_policy;  ///< "", Background, Foreground or Orphan
  std::string precondition_uid;
  std::string precondition_resource_version;
};

/// Every object of the server, with the rules of the real API server's
/// registry: one global resourceVersion counter (as etcd's revision), a
/// bounded history of changes that watches replay from, generation,
/// finalizers, ownerReference garbage collection, namespace lifecycle and
/// CustomResourceDefinitions that add resources. Thread-safe: one mutex, and
/// watch events are sent under it so every watch sees changes in order.
class ObjectStore {
 public:
  explicit ObjectStore(size_t history_limit);

  std::optional<ResourceType> resolve(const std::string& group, const std::string& version,
                                      const std::string& plural) const;
  std::vector<ResourceType> served_types() const;
  web::json::value api_versions(const std::string& server_address) const;
  web::json::value api_group_list() const;
  std::optional<web::json::value> api_group(const std::string& group) const;
  std::optional<web::json::value> resource_list(const std::string& group,
                                                const std::string& version) const;

  // `ns` is "" for cluster-scoped resources and for lists and watches across namespaces.
  ApiResult<web::json::value> get(const ResourceType& type, const std::string& ns,
                                  const std::string& name) const;
  ApiResult<web::json::value> list(const ResourceType& type, const std::string& ns,
                                   const ListOptions& options) const;
  ApiResult<web::json::value> create(const ResourceType& type, const std::string& ns,
                                     web::json::value body);
  ApiResult<web::json::value> update(const ResourceType& type, const std::string& ns,
                                     const std::string& name, web::json::value body,
                                     Subresource subresource);
  ApiResult<web::json::value> patch(const ResourceType& type, const std::string& ns,
                                    const std::string& name, PatchType patch_type,
                                    const web::json::value& patch, Subresource subresource);
  ApiResult<web::json::value> remove(const ResourceType& type, const std::string& ns,
                                     const std::string& name, const DeleteOptions& options);
  ApiResult<web::json::value> remove_collection(const ResourceType& type, const std::string& ns,
                                                const ListOptions& selection,
                                                const DeleteOptions& options);
  ApiResult<std::shared_ptr<WatchStream>> watch(const ResourceType& type, const std::string& ns,
                                                const WatchOptions& options);

  /// Forgets the history: watches from any resourceVersion before now get 410.
  void compact();
  void close_all_watches();
  /// Sends a BOOKMARK to every watch that asked for them.
  void send_bookmarks();
  /// Closes watches whose timeoutSeconds has passed.
  void expire_watches(std::chrono::steady_clock::time_point now);
  size_t watch_count() const;

 private:
  struct Event {
    uint64_t resource_version;
    std::string type;  ///< ADDED, MODIFIED, DELETED
    std::string group_resource;
    web::json::value object;
    web::json::value previous;  ///< the object before a MODIFIED, for selector transitions
  };
  struct Watcher {
    ResourceType type;
    std::string ns;
    LabelSelector labels;
    FieldSelector fields;
    bool bookmarks;
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<WatchStream> stream;
  };
  using Objects = std::map<std::string, web::json::value>;  ///< "ns/name" or "name" -> object

  static std::string key_of(const std::string& ns, const std::string& name);
  static bool key_in_namespace(const std::string& key, const std::string& ns);
  const web::json::value* find_locked(const ResourceType& type, const std::string& ns,
                                      const std::string& name) const;
  std::string next_version_locked();
  void record_locked(const std::string& type, const std::string& group_resource,
                     const web::json::value& object, const web::json::value& previous);
  void deliver_locked(Watcher& watcher, const Event& event);

  ApiResult<web::json::value> create_locked(const ResourceType& type, const std::string& ns,
                                            web::json::value body);
  ApiResult<web::json::value> update_locked(const ResourceType& type, const std::string& ns,
                                            const std::string& name, web::json::value body,
                                            Subresource subresource, bool from_patch);
  ApiResult<web::json::value> remove_locked(const ResourceType& type, const std::string& ns,
                                            const std::string& name, const DeleteOptions& options);
  /// Removes the object for good: DELETED event, then its dependents and contents.
  void erase_locked(const ResourceType& type, const std::string& key,
                    const std::string& propagation_policy);
  void collect_garbage_locked(const std::string& owner_uid, const std::string& propagation_policy);
  void finish_namespace_locked(const std::string& ns);
  std::vector<FieldCause> admit_custom_locked(const ResourceType& type, web::json::value& object);

  mutable std::mutex mutex_;
  ResourceRegistry registry_;
  std::map<std::string, Objects> objects_;  ///< by group resource ("deployments.apps")
  uint64_t resource_version_ = 0;
  uint64_t compacted_version_ = 0;  ///< history holds every change after this version
  size_t history_limit_;
  std::deque<Event> history_;
  std::vector<Watcher> watchers_;
};

}  // namespace schemagate::testing::kube
