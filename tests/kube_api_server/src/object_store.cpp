#include "object_store.h"

#include <algorithm>

#include <cpprest/asyncrt_utils.h>

#include "crd_schema.h"
#include "json_fields.h"
#include "object_meta.h"
#include "patches.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

const char* const kModified = "the object has been modified; please apply your changes to the "
                              "latest version and try again";


value crd_status(const value& crd) {
  auto condition = [](const char* type, const char* reason, const char* message) {
    value entry = value::object();
    entry["type"] = value::string(type);
    entry["status"] = value::string("True");
    entry["lastTransitionTime"] = value::string(now_rfc3339());
    entry["reason"] = value::string(reason);
    entry["message"] = value::string(message);
    return entry;
  };
  value status = value::object();
  status["conditions"] =
      value::array({condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                    condition("Established", "InitialNamesAccepted",
                              "the initial names have been accepted")});
  status["acceptedNames"] = crd.at("spec").at("names");
  value stored = value::array();
  for (const auto& version : crd.at("spec").at("versions").as_array()) {
    if (version.has_field("storage") && version.at("storage").as_bool()) {
      stored[0] = version.at("name");
    }
  }
  status["storedVersions"] = stored;
  return status;
}

std::string encode_continue(uint64_t resource_version, const std::string& start) {
  value token = value::object();
  token["v"] = value::string("meta.k8s.io/v1");
  token["rv"] = value::number(resource_version);
  token["start"] = value::string(start);
  std::string text = token.serialize();
  return utility::conversions::to_base64(std::vector<unsigned char>(text.begin(), text.end()));
}

bool decode_continue(const std::string& encoded, uint64_t& resource_version, std::string& start) {
  try {
    std::vector<unsigned char> bytes = utility::conversions::from_base64(encoded);
    value token = value::parse(std::string(bytes.begin(), bytes.end()));
    resource_version = token.at("rv").as_number().to_uint64();
    start = token.at("start").as_string();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}


}  // namespace


ObjectStore::ObjectStore(size_t history_limit) : history_limit_(std::max<size_t>(1, history_limit)) {
  ResourceType namespaces = *registry_.find("", "v1", "namespaces");
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    value body = value::object();
    body["metadata"]["name"] = value::string(name);
    create_locked(namespaces, "", body);
  }
}

std::string ObjectStore::key_of(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

std::optional<ResourceType> ObjectStore::resolve(const std::string& group,
                                                 const std::string& version,
                                                 const std::string& plural) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const ResourceType* type = registry_.find(group, version, plural);
  if (type == nullptr) return std::nullopt;
  return *type;
}

std::vector<ResourceType> ObjectStore::served_types() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return registry_.served();
}

value ObjectStore::api_versions(const std::string& server_address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return registry_.api_versions(server_address);
}

value ObjectStore::api_group_list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return registry_.api_group_list();
}

std::optional<value> ObjectStore::api_group(const std::string& group) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return registry_.api_group(group);
}

std::optional<value> ObjectStore::resource_list(const std::string& group,
                                                const std::string& version) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return registry_.resource_list(group, version);
}

const value* ObjectStore::find_locked(const ResourceType& type, const std::string& ns,
                                      const std::string& name) const {
  auto objects = objects_.find(type.group_resource());
  if (objects == objects_.end()) return nullptr;
  auto found = objects->second.find(key_of(type.namespaced ? ns : "", name));
  return found == objects->second.end() ? nullptr : &found->second;
}

std::string ObjectStore::next_version_locked() { return std::to_string(++resource_version_); }

bool ObjectStore::key_in_namespace(const std::string& key, const std::string& ns) {
  return ns.empty() || key.compare(0, ns.size() + 1, ns + "/") == 0;
}

ApiResult<value> ObjectStore::get(const ResourceType& type, const std::string& ns,
                                  const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const value* object = find_locked(type, ns, name);
  if (object == nullptr) return not_found(type.subject(name));
  return served_as(type, *object);
}

ApiResult<value> ObjectStore::list(const ResourceType& type, const std::string& ns,
                                   const ListOptions& options) const {
  ApiResult<LabelSelector> labels = LabelSelector::parse(options.label_selector);
  if (!labels.ok()) return labels.error();
  ApiResult<FieldSelector> fields =
      FieldSelector::parse(options.field_selector, type.extra_field_labels);
  if (!fields.ok()) return fields.error();
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t list_version = resource_version_;
  std::string start;
  if (!options.continue_token.empty()) {
    if (!decode_continue(options.continue_token, list_version, start)) {
      return bad_request("continue key is not valid: " + options.continue_token);
    }
    if (list_version < compacted_version_) {
      return expired(
          "The provided continue parameter is too old to display a consistent list result. You "
          "can start a new list without the continue parameter, or use the continue token in "
          "this response to retrieve the remainder of the results. Continuing with the provided "
          "token results in an inconsistent list - objects that were created, modified, or "
          "deleted between the time the first chunk was returned and now may show up in the "
          "list.");
    }
  }
  value items = value::array();
  size_t count = 0;
  size_t remaining = 0;
  std::string last_key;
  auto objects = objects_.find(type.group_resource());
  if (objects != objects_.end()) {
    for (auto it = objects->second.lower_bound(start); it != objects->second.end(); ++it) {
      if (!key_in_namespace(it->first, ns) || !labels.value().matches(it->second) ||
          !fields.value().matches(it->second)) {
        continue;
      }
      if (options.limit > 0 && count == options.limit) {
        ++remaining;
        continue;
      }
      value item = served_as(type, it->second);
      if (!type.custom) {
        // Typed lists of the real server leave out the items' kind and apiVersion.
        erase_field(item, "kind");
        erase_field(item, "apiVersion");
      }
      items[count++] = item;
      last_key = it->first;
    }
  }
  value list = value::object();
  list["kind"] = value::string(type.list_kind());
  list["apiVersion"] = value::string(type.api_version());
  list["metadata"]["resourceVersion"] = value::string(std::to_string(list_version));
  if (remaining > 0) {
    list["metadata"]["continue"] = value::string(encode_continue(list_version, last_key + '\0'));
    list["metadata"]["remainingItemCount"] = value::number(static_cast<uint64_t>(remaining));
  }
  list["items"] = items;
  return list;
}

ApiResult<value> ObjectStore::create(const ResourceType& type, const std::string& ns, value body) {
  std::lock_guard<std::mutex> lock(mutex_);
  return create_locked(type, ns, std::move(body));
}

std::vector<FieldCause> ObjectStore::admit_custom_locked(const ResourceType& type,
                                                         value& object) {
  if (!type.custom || type.schema.is_null()) return {};
  prune_and_default(type.schema, object);
  return validate(type.schema, object);
}

ApiResult<value> ObjectStore::create_locked(const ResourceType& type, const std::string& ns,
                                            value body) {
  if (!body.is_object()) return bad_request("the body of the request was not a JSON object");
  if (body.has_field("kind") && body.at("kind").is_string() &&
      body.at("kind").as_string() != type.kind) {
    return bad_request("the kind of the provided object (" + body.at("kind").as_string() +
                       ") does not match the kind of the request (" + type.kind + ")");
  }
  value& meta = metadata(body);
  std::string name = meta_string(body, "name");
  if (name.empty() && !meta_string(body, "generateName").empty()) {
    name = meta_string(body, "generateName") + random_suffix();
    meta["name"] = value::string(name);
  }
  if (name.empty()) {
    return invalid(type.kind, type.subject(""),
                   {{"FieldValueRequired", "metadata.name",
                     "Required value: name or generateName is required"}});
  }
  if (std::string message = invalid_name_message(name); !message.empty()) {
    return invalid(type.kind, type.subject(name), {{"FieldValueInvalid", "metadata.name", message}});
  }
  if (type.namespaced) {
    std::string body_ns = meta_string(body, "namespace");
    if (!body_ns.empty() && body_ns != ns) {
      return bad_request("the namespace of the provided object does not match the namespace "
                         "sent on the request");
    }
    const value* namespace_object = find_locked(*registry_.find("", "v1", "namespaces"), "", ns);
    if (namespace_object == nullptr) return not_found({"", "namespaces", ns});
    if (!meta_string(*namespace_object, "deletionTimestamp").empty()) {
      ApiError error = bad_request("unable to create new content in namespace " + ns +
                                   " because it is being terminated");
      error.code = 403;
      error.reason = "Forbidden";
      return error;
    }
    meta["namespace"] = value::string(ns);
  } else {
    erase_field(meta, "namespace");
  }
  if (find_locked(type, ns, name) != nullptr) return already_exists(type.subject(name));

  for (const char* key : {"deletionTimestamp", "deletionGracePeriodSeconds", "generation",
                          "selfLink", "managedFields"}) {
    erase_field(meta, key);
  }
  meta["uid"] = value::string(new_uid());
  meta["creationTimestamp"] = value::string(now_rfc3339());
  if (type.tracks_generation) meta["generation"] = value::number(1);
  body = served_as(type, body);
  if (type.status_subresource) erase_field(body, "status");
  if (type.is_namespace()) {
    body["spec"]["finalizers"] = value::array({value::string("kubernetes")});
    body["status"]["phase"] = value::string("Active");
  }
  std::vector<FieldCause> causes = admit_custom_locked(type, body);
  if (type.is_crd() && causes.empty()) causes = registry_.validate_crd(body);
  if (!causes.empty()) return invalid(type.kind, type.subject(name), causes);
  if (type.is_crd()) {
    registry_.add_crd(body);
    body["status"] = crd_status(body);
  }
  apply_builtin_defaults(type, body);

  metadata(body)["resourceVersion"] = value::string(next_version_locked());
  objects_[type.group_resource()][key_of(type.namespaced ? ns : "", name)] = body;
  record_locked("ADDED", type.group_resource(), body, value::null());
  return body;
}

ApiResult<value> ObjectStore::update(const ResourceType& type, const std::string& ns,
                                     const std::string& name, value body,
                                     Subresource subresource) {
  std::lock_guard<std::mutex> lock(mutex_);
  return update_locked(type, ns, name, std::move(body), subresource, false);
}

ApiResult<value> ObjectStore::update_locked(const ResourceType& type, const std::string& ns,
                                            const std::string& name, value body,
                                            Subresource subresource, bool from_patch) {
  const value* current = find_locked(type, ns, name);
  if (current == nullptr) return not_found(type.subject(name));
  if (!body.is_object()) return bad_request("the body of the request was not a JSON object");
  std::string body_name = meta_string(body, "name");
  if (!body_name.empty() && body_name != name) {
    return bad_request("the name of the object (" + body_name +
                       ") does not match the name on the URL (" + name + ")");
  }
  const value old = *current;
  std::string version = meta_string(body, "resourceVersion");
  if (version.empty() && type.custom && !from_patch) {
    // Custom resources refuse unconditional updates; built-ins accept them.
    return invalid(type.kind, type.subject(name),
                   {{"FieldValueInvalid", "metadata.resourceVersion",
                     "Invalid value: 0x0: must be specified for an update"}});
  }
  if (!version.empty() && version != meta_string(old, "resourceVersion")) {
    return conflict(type.subject(name), kModified);
  }

  value next = old;
  if (subresource == Subresource::kStatus) {
    if (body.has_field("status")) {
      next["status"] = body.at("status");
    } else {
      erase_field(next, "status");
    }
  } else {
    next = served_as(type, body);
    value& meta = metadata(next);
    const value& old_meta = old.at("metadata");
    for (const char* key : {"uid", "creationTimestamp", "deletionTimestamp",
                            "deletionGracePeriodSeconds", "generation", "namespace", "name",
                            "resourceVersion"}) {
      if (old_meta.has_field(key)) {
        meta[key] = old_meta.at(key);
      } else {
        erase_field(meta, key);
      }
    }
    erase_field(meta, "managedFields");
    if (type.status_subresource) {
      if (old.has_field("status")) {
        next["status"] = old.at("status");
      } else {
        erase_field(next, "status");
      }
    }
    apply_builtin_defaults(type, next);
  }
  std::vector<FieldCause> causes = admit_custom_locked(type, next);
  if (type.is_crd() && causes.empty()) causes = registry_.validate_crd(next);
  if (!causes.empty()) return invalid(type.kind, type.subject(name), causes);
  if (type.tracks_generation &&
      generation_relevant(type, next) != generation_relevant(type, old)) {
    metadata(next)["generation"] =
        value::number(old.at("metadata").at("generation").as_number().to_int64() + 1);
  }
  // A write that changes nothing keeps the resourceVersion and sends no event.
  if (next == old) return served_as(type, old);

  metadata(next)["resourceVersion"] = value::string(next_version_locked());
  std::string key = key_of(type.namespaced ? ns : "", name);
  objects_[type.group_resource()][key] = next;
  if (type.is_crd()) registry_.add_crd(next);
  if (!meta_string(next, "deletionTimestamp").empty() && !has_finalizers(next)) {
    // The last finalizer is gone: the deletion that was waiting completes now.
    erase_locked(type, key, "Background");
    return served_as(type, next);
  }
  record_locked("MODIFIED", type.group_resource(), next, old);
  return served_as(type, next);
}

ApiResult<value> ObjectStore::patch(const ResourceType& type, const std::string& ns,
                                    const std::string& name, PatchType patch_type,
                                    const value& patch, Subresource subresource) {
  std::lock_guard<std::mutex> lock(mutex_);
  const value* current = find_locked(type, ns, name);
  if (current == nullptr) return not_found(type.subject(name));
  value patched;
  switch (patch_type) {
    case PatchType::kMerge:
      if (!patch.is_object()) return bad_request("a merge patch must be a JSON object");
      patched = merge_patch(*current, patch);
      break;
    case PatchType::kStrategicMerge:
      if (type.custom) {
        return unsupported_media_type("application/strategic-merge-patch+json",
                                      "application/json-patch+json, "
                                      "application/merge-patch+json");
      }
      if (!patch.is_object()) return bad_request("a strategic merge patch must be a JSON object");
      patched = strategic_merge_patch(*current, patch);
      break;
    case PatchType::kJson: {
      ApiResult<value> result = json_patch(*current, patch);
      if (!result.ok()) return result.error();
      patched = result.value();
      break;
    }
  }
  return update_locked(type, ns, name, patched, subresource, true);
}


}  // namespace schemagate::testing::kube
