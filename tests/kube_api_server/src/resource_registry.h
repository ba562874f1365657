#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <cpprest/json.h>

#include "api_error.h"

namespace schemagate::testing::kube {

/// What the server knows about one resource in one served version: enough
/// for discovery, for URL routing and for the per-kind write rules.
struct ResourceType {
  std::string group;  ///< "" for the core group
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  bool namespaced = true;
  bool status_subresource = false;
  bool tracks_generation = false;  ///< metadata.generation is set and bumped on spec changes
  bool custom = false;             ///< served from a CustomResourceDefinition
  web::json::value schema = web::json::value::null();  ///< openAPIV3Schema of a custom resource
  std::vector<std::string> extra_field_labels;  ///< field selectors besides metadata.name/namespace

  /// "v1" or "apps/v1".
  std::string api_version() const;
  /// Storage key shared by every version of the resource: "deployments.apps".
  std::string group_resource() const;
  std::string list_kind() const { return kind + "List"; }
  ErrorSubject subject(const std::string& name) const { return {group, plural, name}; }
  bool is_namespace() const { return group.empty() && plural == "namespaces"; }
  bool is_crd() const {
    return group == "apiextensions.k8s.io" && plural == "customresourcedefinitions";
  }
};

/// Built-in resources plus those of the CustomResourceDefinitions created so
/// far. Not thread-safe: the object store owns it and guards it.
class ResourceRegistry {
 public:
  ResourceRegistry();

  const ResourceType* find(const std::string& group, const std::string& version,
                           const std::string& plural) const;
  /// Any served version of the group resource (for cascading deletes).
  const ResourceType* find_any_version(const std::string& group_resource) const;
  /// The resource a kind of an apiVersion belongs to ("apps/v1", "Deployment").
  const ResourceType* find_kind(const std::string& api_version, const std::string& kind) const;

  /// Checks a CRD and returns the field errors that the real server reports.
  std::vector<FieldCause> validate_crd(const web::json::value& crd) const;
  /// Serves the CRD's versions (replacing earlier ones of the same CRD).
  void add_crd(const web::json::value& crd);
  void remove_crd(const std::string& crd_name);

  /// Every resource in every served version, built-ins first.
  std::vector<ResourceType> served() const;

  /// `/api`.
  web::json::value api_versions(const std::string& server_address) const;
  /// `/apis`.
  web::json::value api_group_list() const;
  /// `/apis/<group>`, or nothing for an unknown group.
  std::optional<web::json::value> api_group(const std::string& group) const;
  /// `/api/v1` or `/apis/<group>/<version>`, or nothing when not served.
  std::optional<web::json::value> resource_list(const std::string& group,
                                                const std::string& version) const;

 private:
  std::vector<std::string> versions_of(const std::string& group) const;

  std::vector<ResourceType> builtin_;
  std::map<std::string, std::vector<ResourceType>> custom_;  ///< CRD name -> its versions
};

}  // namespace schemagate::testing::kube
