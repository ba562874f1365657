#include "resource_registry.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "json_fields.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};
const std::vector<std::string> kSubresourceVerbs = {"get", "patch", "update"};

struct BuiltinSpec {
  const char* group;
  const char* plural;
  const char* singular;
  const char* kind;
  std::vector<std::string> short_names;
  bool namespaced;
  bool status_subresource;
  bool tracks_generation;
  std::vector<std::string> extra_field_labels;
};

std::vector<ResourceType> builtin_types() {
  const std::vector<BuiltinSpec> specs = {
      {"", "namespaces", "namespace", "Namespace", {"ns"}, false, true, false, {"status.phase"}},
      {"", "configmaps", "configmap", "ConfigMap", {"cm"}, true, false, false, {}},
      {"", "secrets", "secret", "Secret", {}, true, false, false, {"type"}},
      {"", "pods", "pod", "Pod", {"po"}, true, true, true, {"spec.nodeName", "status.phase"}},
      {"", "events", "event", "Event", {"ev"}, true, false, false,
       {"involvedObject.kind", "involvedObject.name", "involvedObject.namespace",
        "involvedObject.uid", "reason", "type", "source"}},
      {"", "serviceaccounts", "serviceaccount", "ServiceAccount", {"sa"}, true, false, false, {}},
      {"", "services", "service", "Service", {"svc"}, true, true, false, {}},
      {"apps", "deployments", "deployment", "Deployment", {"deploy"}, true, true, true, {}},
      {"apps", "statefulsets", "statefulset", "StatefulSet", {"sts"}, true, true, true, {}},
      {"batch", "jobs", "job", "Job", {}, true, true, true, {"status.successful"}},
      {"coordination.k8s.io", "leases", "lease", "Lease", {}, true, false, false, {}},
      {"events.k8s.io", "events", "event", "Event", {"ev"}, true, false, false,
       {"regarding.kind", "regarding.name", "regarding.namespace", "reason", "type"}},
      {"apiextensions.k8s.io", "customresourcedefinitions", "customresourcedefinition",
       "CustomResourceDefinition", {"crd", "crds"}, false, true, true, {}},
      {"rbac.authorization.k8s.io", "roles", "role", "Role", {}, true, false, false, {}},
      {"rbac.authorization.k8s.io", "rolebindings", "rolebinding", "RoleBinding", {}, true,
       false, false, {}},
      {"rbac.authorization.k8s.io", "clusterroles", "clusterrole", "ClusterRole", {}, false,
       false, false, {}},
      {"rbac.authorization.k8s.io", "clusterrolebindings", "clusterrolebinding",
       "ClusterRoleBinding", {}, false, false, false, {}},
  };
  const std::set<std::string> in_all = {"pods", "services", "deployments", "statefulsets", "jobs"};
  std::vector<ResourceType> types;
  for (const auto& spec : specs) {
    ResourceType type;
    type.group = spec.group;
    type.version = "v1";
    type.plural = spec.plural;
    type.singular = spec.singular;
    type.kind = spec.kind;
    type.short_names = spec.short_names;
    type.namespaced = spec.namespaced;
    type.status_subresource = spec.status_subresource;
    type.tracks_generation = spec.tracks_generation;
    type.extra_field_labels = spec.extra_field_labels;
    if (in_all.count(type.plural) > 0) type.categories = {"all"};
    types.push_back(std::move(type));
  }
  return types;
}

value strings(const std::vector<std::string>& items) {
  value array = value::array();
  for (size_t i = 0; i < items.size(); ++i) array[i] = value::string(items[i]);
  return array;
}

std::string string_at(const value& object, const std::string& key) {
  if (!object.is_object() || !object.has_field(key) || !object.at(key).is_string()) return "";
  return object.at(key).as_string();
}

std::vector<std::string> string_list_at(const value& object, const std::string& key) {
  std::vector<std::string> items;
  if (!object.is_object() || !object.has_field(key) || !object.at(key).is_array()) return items;
  for (const auto& item : object.at(key).as_array()) {
    if (item.is_string()) items.push_back(item.as_string());
  }
  return items;
}

value group_version(const std::string& group, const std::string& version) {
  value entry = value::object();
  entry["groupVersion"] = value::string(group + "/" + version);
  entry["version"] = value::string(version);
  return entry;
}

}  // namespace

std::string ResourceType::api_version() const {
  return group.empty() ? version : group + "/" + version;
}

std::string ResourceType::group_resource() const {
  return group.empty() ? plural : plural + "." + group;
}

ResourceRegistry::ResourceRegistry() : builtin_(builtin_types()) {}

const ResourceType* ResourceRegistry::find(const std::string& group, const std::string& version,
                                           const std::string& plural) const {
  for (const auto& type : builtin_) {
    if (type.group == group && type.version == version && type.plural == plural) return &type;
  }
  for (const auto& [name, types] : custom_) {
    for (const auto& type : types) {
      if (type.group == group && type.version == version && type.plural == plural) return &type;
    }
  }
  return nullptr;
}

const ResourceType* ResourceRegistry::find_any_version(const std::string& group_resource) const {
  for (const auto& type : builtin_) {
    if (type.group_resource() == group_resource) return &type;
  }
  for (const auto& [name, types] : custom_) {
    for (const auto& type : types) {
      if (type.group_resource() == group_resource) return &type;
    }
  }
  return nullptr;
}

const ResourceType* ResourceRegistry::find_kind(const std::string& api_version,
                                                const std::string& kind) const {
  for (const auto& type : builtin_) {
    if (type.api_version() == api_version && type.kind == kind) return &type;
  }
  for (const auto& [name, types] : custom_) {
    for (const auto& type : types) {
      if (type.api_version() == api_version && type.kind == kind) return &type;
    }
  }
  return nullptr;
}

std::vector<FieldCause> ResourceRegistry::validate_crd(const value& crd) const {
  std::vector<FieldCause> causes;
  const value spec = crd.has_field("spec") ? crd.at("spec") : value::object();
  const value names = spec.has_field("names") ? spec.at("names") : value::object();
  const std::string group = string_at(spec, "group");
  const std::string plural = string_at(names, "plural");
  const std::string name = string_at(crd.at("metadata"), "name");
  if (group.empty()) causes.push_back({"FieldValueRequired", "spec.group", "Required value"});
  if (plural.empty()) {
    causes.push_back({"FieldValueRequired", "spec.names.plural", "Required value"});
  }
  if (string_at(names, "kind").empty()) {
    causes.push_back({"FieldValueRequired", "spec.names.kind", "Required value"});
  }
  const std::string scope = string_at(spec, "scope");
  if (scope != "Namespaced" && scope != "Cluster") {
    causes.push_back({"FieldValueNotSupported", "spec.scope",
                      "Unsupported value: \"" + scope +
                          "\": supported values: \"Cluster\", \"Namespaced\""});
  }
  if (!group.empty() && !plural.empty() && name != plural + "." + group) {
    causes.push_back({"FieldValueInvalid", "metadata.name",
                      "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group"});
  }
  int storage_versions = 0;
  if (spec.has_field("versions") && spec.at("versions").is_array()) {
    for (const auto& version : spec.at("versions").as_array()) {
      if (version.has_field("storage") && version.at("storage").is_boolean() &&
          version.at("storage").as_bool()) {
        ++storage_versions;
      }
    }
  }
  if (storage_versions != 1) {
    causes.push_back({"FieldValueInvalid", "spec.versions",
                      "Invalid value: []apiextensions.CustomResourceDefinitionVersion(nil): must "
                      "have exactly one version marked as storage version"});
  }
  return causes;
}

void ResourceRegistry::add_crd(const value& crd) {
  const value& spec = crd.at("spec");
  const value& names = spec.at("names");
  std::vector<ResourceType> types;
  for (const auto& version : spec.at("versions").as_array()) {
    if (version.has_field("served") && version.at("served").is_boolean() &&
        !version.at("served").as_bool()) {
      continue;
    }
    ResourceType type;
    type.group = string_at(spec, "group");
    type.version = string_at(version, "name");
    type.plural = string_at(names, "plural");
    type.singular = string_at(names, "singular");
    if (type.singular.empty()) {
      type.singular = string_at(names, "kind");
      std::transform(type.singular.begin(), type.singular.end(), type.singular.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    type.kind = string_at(names, "kind");
    type.short_names = string_list_at(names, "shortNames");
    type.categories = string_list_at(names, "categories");
    type.namespaced = string_at(spec, "scope") == "Namespaced";
    type.status_subresource = version.has_field("subresources") &&
                              version.at("subresources").has_field("status");
    type.tracks_generation = true;
    type.custom = true;
    if (version.has_field("schema") && version.at("schema").has_field("openAPIV3Schema")) {
      type.schema = version.at("schema").at("openAPIV3Schema");
    }
    types.push_back(std::move(type));
  }
  custom_[string_at(crd.at("metadata"), "name")] = std::move(types);
}

void ResourceRegistry::remove_crd(const std::string& crd_name) { custom_.erase(crd_name); }

std::vector<ResourceType> ResourceRegistry::served() const {
  std::vector<ResourceType> types = builtin_;
  for (const auto& [name, versions] : custom_) types.insert(types.end(), versions.begin(), versions.end());
  return types;
}

value ResourceRegistry::api_versions(const std::string& server_address) const {
  value result = value::object();
  result["kind"] = value::string("APIVersions");
  result["versions"] = strings({"v1"});
  value cidr = value::object();
  cidr["clientCIDR"] = value::string("0.0.0.0/0");
  cidr["serverAddress"] = value::string(server_address);
  result["serverAddressByClientCIDRs"] = value::array({cidr});
  return result;
}

std::vector<std::string> ResourceRegistry::versions_of(const std::string& group) const {
  std::vector<std::string> versions;
  auto add = [&](const ResourceType& type) {
    if (type.group == group &&
        std::find(versions.begin(), versions.end(), type.version) == versions.end()) {
      versions.push_back(type.version);
    }
  };
  for (const auto& type : builtin_) add(type);
  for (const auto& [name, types] : custom_) {
    for (const auto& type : types) add(type);
  }
  return versions;
}

std::optional<value> ResourceRegistry::api_group(const std::string& group) const {
  std::vector<std::string> versions = versions_of(group);
  if (group.empty() || versions.empty()) return std::nullopt;
  value entry = value::object();
  entry["kind"] = value::string("APIGroup");
  entry["apiVersion"] = value::string("v1");
  entry["name"] = value::string(group);
  value version_list = value::array();
  for (size_t i = 0; i < versions.size(); ++i) {
    version_list[i] = group_version(group, versions[i]);
  }
  entry["versions"] = version_list;
  entry["preferredVersion"] = group_version(group, versions.front());
  return entry;
}

value ResourceRegistry::api_group_list() const {
  std::vector<std::string> groups;
  auto add = [&](const ResourceType& type) {
    if (!type.group.empty() &&
        std::find(groups.begin(), groups.end(), type.group) == groups.end()) {
      groups.push_back(type.group);
    }
  };
  for (const auto& type : builtin_) add(type);
  for (const auto& [name, types] : custom_) {
    for (const auto& type : types) add(type);
  }
  value list = value::object();
  list["kind"] = value::string("APIGroupList");
  list["apiVersion"] = value::string("v1");
  value group_values = value::array();
  for (size_t i = 0; i < groups.size(); ++i) {
    value entry = *api_group(groups[i]);
    erase_field(entry, "kind");
    erase_field(entry, "apiVersion");
    group_values[i] = entry;
  }
  list["groups"] = group_values;
  return list;
}

std::optional<value> ResourceRegistry::resource_list(const std::string& group,
                                                     const std::string& version) const {
  std::vector<const ResourceType*> served;
  for (const auto& type : builtin_) {
    if (type.group == group && type.version == version) served.push_back(&type);
  }
  for (const auto& [name, types] : custom_) {
    for (const auto& type : types) {
      if (type.group == group && type.version == version) served.push_back(&type);
    }
  }
  if (served.empty()) return std::nullopt;
  value resources = value::array();
  size_t index = 0;
  for (const ResourceType* type : served) {
    value entry = value::object();
    entry["name"] = value::string(type->plural);
    entry["singularName"] = value::string(type->singular);
    entry["namespaced"] = value::boolean(type->namespaced);
    entry["kind"] = value::string(type->kind);
    std::vector<std::string> verbs = kAllVerbs;
    if (type->plural == "namespaces") {
      verbs.erase(std::find(verbs.begin(), verbs.end(), "deletecollection"));
    }
    entry["verbs"] = strings(verbs);
    if (!type->short_names.empty()) entry["shortNames"] = strings(type->short_names);
    if (!type->categories.empty()) entry["categories"] = strings(type->categories);
    resources[index++] = entry;
    if (type->status_subresource) {
      value status = value::object();
      status["name"] = value::string(type->plural + "/status");
      status["singularName"] = value::string("");
      status["namespaced"] = value::boolean(type->namespaced);
      status["kind"] = value::string(type->kind);
      status["verbs"] = strings(kSubresourceVerbs);
      resources[index++] = status;
    }
  }
  value list = value::object();
  list["kind"] = value::string("APIResourceList");
  list["apiVersion"] = value::string("v1");
  list["groupVersion"] = value::string(group.empty() ? version : group + "/" + version);
  list["resources"] = resources;
  return list;
}

}  // namespace schemagate::testing::kube
