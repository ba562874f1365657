// ObjectStore: deletion, finalizers, garbage collection, namespace lifecycle.
#include "object_store.h"

#include <set>

#include "json_fields.h"
#include "object_meta.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

value success_status(const ResourceType& type, const value& object) {
  value details = value::object();
  details["name"] = value::string(meta_string(object, "name"));
  if (!type.group.empty()) details["group"] = value::string(type.group);
  details["kind"] = value::string(type.plural);
  details["uid"] = value::string(meta_string(object, "uid"));
  value status = value::object();
  status["kind"] = value::string("Status");
  status["apiVersion"] = value::string("v1");
  status["metadata"] = value::object();
  status["status"] = value::string("Success");
  status["details"] = details;
  return status;
}

}  // namespace

ApiResult<value> ObjectStore::remove(const ResourceType& type, const std::string& ns,
                                     const std::string& name, const DeleteOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  return remove_locked(type, ns, name, options);
}

ApiResult<value> ObjectStore::remove_locked(const ResourceType& type, const std::string& ns,
                                            const std::string& name,
                                            const DeleteOptions& options) {
  const value* current = find_locked(type, ns, name);
  if (current == nullptr) return not_found(type.subject(name));
  const std::string uid = meta_string(*current, "uid");
  const std::string version = meta_string(*current, "resourceVersion");
  if (!options.precondition_uid.empty() && options.precondition_uid != uid) {
    return conflict(type.subject(name), "Precondition failed: UID in precondition: " +
                                            options.precondition_uid +
                                            ", UID in object meta: " + uid);
  }
  if (!options.precondition_resource_version.empty() &&
      options.precondition_resource_version != version) {
    return conflict(type.subject(name),
                    "the ResourceVersion in the precondition (" +
                        options.precondition_resource_version +
                        ") does not match the ResourceVersion in record (" + version +
                        "). The object might have been modified");
  }
  const std::string key = key_of(type.namespaced ? ns : "", name);
  if (type.is_namespace() || has_finalizers(*current)) {
    // Deletion waits: for the finalizers to be removed, or for the namespace to empty.
    if (meta_string(*current, "deletionTimestamp").empty()) {
      value next = *current;
      metadata(next)["deletionTimestamp"] = value::string(now_rfc3339());
      metadata(next)["deletionGracePeriodSeconds"] = value::number(0);
      if (type.is_namespace()) next["status"]["phase"] = value::string("Terminating");
      metadata(next)["resourceVersion"] = value::string(next_version_locked());
      value old = *current;
      objects_[type.group_resource()][key] = next;
      record_locked("MODIFIED", type.group_resource(), next, old);
    }
    if (type.is_namespace()) {
      value terminating = *find_locked(type, "", name);
      for (auto& [group_resource, objects] : objects_) {
        std::vector<std::string> names;
        for (const auto& [object_key, object] : objects) {
          if (key_in_namespace(object_key, name)) names.push_back(meta_string(object, "name"));
        }
        const ResourceType* member = registry_.find_any_version(group_resource);
        if (member == nullptr || !member->namespaced) continue;
        ResourceType member_type = *member;
        for (const auto& member_name : names) remove_locked(member_type, name, member_name, {});
      }
      finish_namespace_locked(name);
      return served_as(type, terminating);
    }
    return served_as(type, *find_locked(type, ns, name));
  }
  value removed = served_as(type, *current);
  erase_locked(type, key, options.propagation_policy);
  return success_status(type, removed);
}

ApiResult<value> ObjectStore::remove_collection(const ResourceType& type, const std::string& ns,
                                                const ListOptions& selection,
                                                const DeleteOptions& options) {
  ApiResult<value> selected = list(type, ns, selection);
  if (!selected.ok()) return selected;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& item : selected.value().at("items").as_array()) {
    remove_locked(type, meta_string(item, "namespace"), meta_string(item, "name"), options);
  }
  return selected;
}

void ObjectStore::erase_locked(const ResourceType& type, const std::string& key,
                               const std::string& propagation_policy) {
  ResourceType erased_type = type;  // the registry may drop `type` below
  auto& objects = objects_[erased_type.group_resource()];
  auto found = objects.find(key);
  if (found == objects.end()) return;
  value object = found->second;
  objects.erase(found);
  metadata(object)["resourceVersion"] = value::string(next_version_locked());
  record_locked("DELETED", erased_type.group_resource(), object, value::null());

  if (erased_type.is_crd()) {
    std::string group_resource = meta_string(object, "name");
    const ResourceType* custom = registry_.find_any_version(group_resource);
    if (custom != nullptr) {
      ResourceType custom_type = *custom;
      std::vector<std::string> keys;
      for (const auto& [custom_key, custom_object] : objects_[group_resource]) {
        keys.push_back(custom_key);
      }
      for (const auto& custom_key : keys) erase_locked(custom_type, custom_key, "Background");
    }
    registry_.remove_crd(group_resource);
    objects_.erase(group_resource);
  }
  collect_garbage_locked(meta_string(object, "uid"), propagation_policy);
  if (erased_type.namespaced) finish_namespace_locked(meta_string(object, "namespace"));
}

void ObjectStore::collect_garbage_locked(const std::string& owner_uid,
                                         const std::string& propagation_policy) {
  std::set<std::string> live_uids;
  struct Dependent {
    std::string group_resource;
    std::string ns;
    std::string name;
  };
  std::vector<Dependent> dependents;
  for (const auto& [group_resource, objects] : objects_) {
    for (const auto& [key, object] : objects) {
      live_uids.insert(meta_string(object, "uid"));
      const value& meta = object.at("metadata");
      if (!meta.has_field("ownerReferences") || !meta.at("ownerReferences").is_array()) continue;
      for (const auto& owner : meta.at("ownerReferences").as_array()) {
        if (owner.has_field("uid") && owner.at("uid").is_string() &&
            owner.at("uid").as_string() == owner_uid) {
          dependents.push_back(
              {group_resource, meta_string(object, "namespace"), meta_string(object, "name")});
          break;
        }
      }
    }
  }
  for (const auto& dependent : dependents) {
    const ResourceType* found_type = registry_.find_any_version(dependent.group_resource);
    if (found_type == nullptr) continue;
    ResourceType type = *found_type;
    const value* object = find_locked(type, dependent.ns, dependent.name);
    if (object == nullptr) continue;
    value remaining = value::array();
    size_t count = 0;
    bool solid_owner_left = false;
    for (const auto& owner : object->at("metadata").at("ownerReferences").as_array()) {
      std::string uid = owner.has_field("uid") ? owner.at("uid").as_string() : "";
      if (uid == owner_uid) continue;
      remaining[count++] = owner;
      solid_owner_left = solid_owner_left || live_uids.count(uid) > 0;
    }
    if (propagation_policy != "Orphan" && !solid_owner_left) {
      remove_locked(type, dependent.ns, dependent.name, {});
      continue;
    }
    // Orphaned, or still owned by someone else: only the reference to the owner goes.
    value next = *object;
    value old = *object;
    if (count == 0) {
      erase_field(metadata(next), "ownerReferences");
    } else {
      metadata(next)["ownerReferences"] = remaining;
    }
    metadata(next)["resourceVersion"] = value::string(next_version_locked());
    objects_[type.group_resource()][key_of(type.namespaced ? dependent.ns : "", dependent.name)] =
        next;
    record_locked("MODIFIED", type.group_resource(), next, old);
  }
}

void ObjectStore::finish_namespace_locked(const std::string& ns) {
  const ResourceType& namespaces = *registry_.find("", "v1", "namespaces");
  const value* namespace_object = find_locked(namespaces, "", ns);
  if (namespace_object == nullptr || meta_string(*namespace_object, "deletionTimestamp").empty()) {
    return;
  }
  for (const auto& [group_resource, objects] : objects_) {
    for (const auto& [key, object] : objects) {
      if (key_in_namespace(key, ns)) return;
    }
  }
  erase_locked(namespaces, ns, "Background");
}

}  // namespace schemagate::testing::kube
