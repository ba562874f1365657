#include "kube/merge_patch.h"

namespace schemagate::kube {

Json merge_patch_between(const Json& from, const Json& to) {
  if (!from.is_object() || !to.is_object()) return from == to ? Json::object() : to;
  Json patch = Json::object();
  for (const auto& [field, value] : from.as_object()) {
    if (!to.has_field(field)) patch[field] = Json::null();
  }
  for (const auto& [field, value] : to.as_object()) {
    if (!from.has_field(field)) {
      patch[field] = value;
    } else if (from.at(field) != value) {
      const Json& old = from.at(field);
      // A nested object changes field by field; null would remove it instead.
      patch[field] = old.is_object() && value.is_object() ? merge_patch_between(old, value) : value;
    }
  }
  return patch;
}

Json status_patch(const Json& current, const Json& status) {
  const Json none = Json::null();
  const Json& old = current.is_object() && current.has_field("status") ? current.at("status") : none;
  Json patch = Json::object();
  patch["metadata"]["resourceVersion"] = Json::string(resource_version_of(current));
  patch["status"] = old.is_object() ? merge_patch_between(old, status) : status;
  return patch;
}

}  // namespace schemagate::kube
