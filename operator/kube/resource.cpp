#include "kube/resource.h"

#include <cctype>
#include <utility>
#include <vector>

namespace schemagate::kube {
namespace {

std::string join_query(const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string query;
  for (const auto& [key, value] : parameters) {
    if (value.empty()) continue;
    query += (query.empty() ? "?" : "&") + key + "=" + url_encode(value);
  }
  return query;
}

}  // namespace

std::string group_version_path(const ResourceRef& ref) {
  return ref.group.empty() ? "/api/" + ref.version : "/apis/" + ref.group + "/" + ref.version;
}

std::string collection_path(const ResourceRef& ref, const std::string& ns) {
  std::string path = group_version_path(ref);
  if (ref.namespaced && !ns.empty()) path += "/namespaces/" + url_encode(ns);
  return path + "/" + ref.plural;
}

std::string object_path(const ResourceRef& ref, const std::string& ns, const std::string& name,
                        const std::string& subresource) {
  std::string path = collection_path(ref, ns) + "/" + url_encode(name);
  if (!subresource.empty()) path += "/" + subresource;
  return path;
}

std::string query_string(const ListOptions& options) {
  return join_query({{"labelSelector", options.label_selector},
                     {"fieldSelector", options.field_selector},
                     {"limit", options.limit > 0 ? std::to_string(options.limit) : ""},
                     {"continue", options.continue_token},
                     {"resourceVersion", options.resource_version}});
}

std::string query_string(const WatchOptions& options) {
  return join_query(
      {{"watch", "true"},
       {"labelSelector", options.label_selector},
       {"fieldSelector", options.field_selector},
       {"resourceVersion", options.resource_version},
       {"allowWatchBookmarks", options.allow_bookmarks ? "true" : ""},
       {"timeoutSeconds", options.timeout_seconds > 0 ? std::to_string(options.timeout_seconds)
                                                      : ""}});
}

std::string url_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace schemagate::kube
