#include "kube/object.h"

#include "kube/json_path.h"

namespace schemagate::kube {
namespace {

std::string metadata_text(const Json& object, const char* field) {
  return string_at(object, {"metadata", field});
}

}  // namespace

std::string namespace_of(const Json& object) { return metadata_text(object, "namespace"); }
std::string name_of(const Json& object) { return metadata_text(object, "name"); }
std::string resource_version_of(const Json& object) {
  return metadata_text(object, "resourceVersion");
}

std::string object_key(const Json& object) {
  std::string ns = namespace_of(object);
  return ns.empty() ? name_of(object) : ns + "/" + name_of(object);
}

std::pair<std::string, std::string> split_key(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return {"", key};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

}  // namespace schemagate::kube
