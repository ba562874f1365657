#pragma once

#include <optional>
#include <string>

namespace schemagate::kube {

/// Which kind of object a request is about. The core group is "".
struct ResourceRef {
  std::string group;
  std::string version;
  std::string plural;
  bool namespaced = true;

  /// "schemagate.io/v1alpha1", or "v1" for the core group.
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
};

/// Options of a list (and of the watch that follows it).
struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int limit = 0;               ///< page size; 0: no paging
  std::string continue_token;  ///< from the previous page
  std::string resource_version;
};

/// Options of a watch request.
struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  ///< start after this version
  bool allow_bookmarks = true;
  int timeout_seconds = 0;  ///< ask the server to end the stream after this; 0: its default
};

/// "/api/v1" or "/apis/GROUP/VERSION".
std::string group_version_path(const ResourceRef& ref);
/// The collection: ".../namespaces/NS/PLURAL", or ".../PLURAL" across all
/// namespaces (empty `ns`) and for cluster-scoped resources.
std::string collection_path(const ResourceRef& ref, const std::string& ns);
/// One object, or one of its subresources ("status").
std::string object_path(const ResourceRef& ref, const std::string& ns, const std::string& name,
                        const std::string& subresource = "");

/// "?labelSelector=...&limit=..." with values percent-encoded; "" when empty.
std::string query_string(const ListOptions& options);
std::string query_string(const WatchOptions& options);

/// Percent-encodes everything outside RFC 3986's unreserved characters.
std::string url_encode(const std::string& text);

}  // namespace schemagate::kube
