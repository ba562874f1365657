#include "openapi.h"

#include <functional>
#include <sstream>

namespace schemagate::testing::kube {
namespace {

using web::json::value;

std::string path_of(const ResourceType& type) {
  return type.group.empty() ? "api/" + type.version : "apis/" + type.api_version();
}

value document_for(const std::vector<ResourceType>& types, const std::string& path) {
  value paths = value::object();
  for (const auto& type : types) {
    if (path_of(type) != path) continue;
    value gvk = value::object();
    gvk["group"] = value::string(type.group);
    gvk["version"] = value::string(type.version);
    gvk["kind"] = value::string(type.kind);
    value parameter = value::object();
    parameter["name"] = value::string("fieldValidation");
    parameter["in"] = value::string("query");
    parameter["schema"]["type"] = value::string("string");
    value patch = value::object();
    patch["operationId"] = value::string("patch" + type.kind);
    patch["x-kubernetes-group-version-kind"] = gvk;
    patch["parameters"] = value::array({parameter});
    std::string item_path = "/" + path + (type.namespaced ? "/namespaces/{namespace}/" : "/") +
                            type.plural + "/{name}";
    paths[item_path]["patch"] = patch;
  }
  value document = value::object();
  document["openapi"] = value::string("3.0.0");
  document["info"]["title"] = value::string("Kubernetes");
  document["info"]["version"] = value::string("v1.35.0");
  document["paths"] = paths;
  return document;
}

}  // namespace

value openapi_v3_root(const std::vector<ResourceType>& types) {
  value paths = value::object();
  for (const auto& type : types) {
    std::string path = path_of(type);
    if (paths.has_field(path)) continue;
    // The hash lets clients cache a document until the served resources change.
    std::ostringstream hash;
    hash << std::hex << std::hash<std::string>{}(document_for(types, path).serialize());
    paths[path]["serverRelativeURL"] = value::string("/openapi/v3/" + path + "?hash=" + hash.str());
  }
  value root = value::object();
  root["paths"] = paths;
  return root;
}

std::optional<value> openapi_v3_document(const std::vector<ResourceType>& types,
                                         const std::string& path) {
  for (const auto& type : types) {
    if (path_of(type) == path) return document_for(types, path);
  }
  return std::nullopt;
}

}  // namespace schemagate::testing::kube
