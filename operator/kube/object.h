#pragma once

#include <string>
#include <vector>

#include <cpprest/json.h>

namespace schemagate::kube {

/// Objects are kept as the JSON the API server sent: the operator reads a few
/// fields of many kinds, and unknown fields must survive a read-modify-write.
using Json = web::json::value;

/// metadata.namespace, metadata.name, metadata.resourceVersion ("" if absent).
std::string namespace_of(const Json& object);
std::string name_of(const Json& object);
std::string resource_version_of(const Json& object);

/// The cache and work-queue key: "namespace/name", or "name" for
/// cluster-scoped objects (client-go's MetaNamespaceKeyFunc).
std::string object_key(const Json& object);

/// Splits a key made by object_key() into namespace ("" if none) and name.
std::pair<std::string, std::string> split_key(const std::string& key);

/// One page of a list.
struct ObjectList {
  std::vector<Json> items;
  std::string resource_version;  ///< metadata.resourceVersion of the list
  std::string continue_token;    ///< metadata.continue: more pages follow
};

/// One event of a watch stream.
struct WatchEvent {
  enum class Type { kAdded, kModified, kDeleted, kBookmark, kError };
  Type type;
  Json object;  ///< the object; for kError a metav1.Status
};

}  // namespace schemagate::kube
