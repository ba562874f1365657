#include "support/fake_object_client.h"

#include "kube/json_path.h"

namespace schemagate::testing {
namespace {

using kube::ApiError;
using kube::ErrorKind;
using kube::Json;

// RFC 7386, as the API server applies a merge patch.
Json merged(Json target, const Json& patch) {
  if (!patch.is_object()) return patch;
  if (!target.is_object()) target = Json::object();
  for (const auto& field : patch.as_object()) {
    if (field.second.is_null()) {
      target.erase(field.first);
    } else {
      target[field.first] = merged(
          target.has_field(field.first) ? target.at(field.first) : Json::null(), field.second);
    }
  }
  return target;
}

Json field_or_null(const Json& object, const char* field) {
  return object.has_field(field) ? object.at(field) : Json::null();
}

bool has_finalizers(const Json& object) {
  const Json* finalizers = kube::find_path(object, {"metadata", "finalizers"});
  return finalizers && finalizers->is_array() && finalizers->size() > 0;
}

// "a=b,c=d": every label equal.
bool selected(const Json& object, const std::string& selector) {
  size_t start = 0;
  while (start < selector.size()) {
    size_t comma = selector.find(',', start);
    if (comma == std::string::npos) comma = selector.size();
    std::string term = selector.substr(start, comma - start);
    size_t equals = term.find('=');
    std::string label = term.substr(0, equals);
    std::string value = equals == std::string::npos ? "" : term.substr(equals + 1);
    if (kube::string_at(object, {"metadata", "labels", label.c_str()}) != value) return false;
    start = comma + 1;
  }
  return true;
}

ApiError not_found(const std::string& resource, const std::string& name) {
  return ApiError(ErrorKind::kNotFound, resource + " \"" + name + "\" not found", 404, "NotFound");
}

ApiError conflict(const std::string& resource, const std::string& name) {
  return ApiError(ErrorKind::kConflict,
                  "Operation cannot be fulfilled on " + resource + " \"" + name +
                      "\": the object has been modified",
                  409, "Conflict");
}

}  // namespace

std::optional<ApiError> FakeObjectClient::begin(Verb verb, const kube::ResourceRef& ref,
                                                const std::string& ns, const std::string& name) {
  requests_.push_back({verb, ref.plural, ns, name});
  for (auto failure = failures_.begin(); failure != failures_.end(); ++failure) {
    if (std::get<0>(*failure) == verb && std::get<1>(*failure) == ref.plural) {
      ErrorKind kind = std::get<2>(*failure);
      failures_.erase(failure);
      return ApiError(kind, std::string("injected ") + kube::to_string(kind));
    }
  }
  return std::nullopt;
}

Json FakeObjectClient::store(const Key& key, Json object) {
  auto previous = objects_.find(key);
  int64_t generation = kube::integer_at(object, {"metadata", "generation"}).value_or(1);
  if (previous != objects_.end()) {
    generation = kube::integer_at(previous->second, {"metadata", "generation"}).value_or(1);
    if (field_or_null(previous->second, "spec") != field_or_null(object, "spec")) ++generation;
  }
  object["metadata"]["generation"] = Json::number(generation);
  object["metadata"]["resourceVersion"] = Json::string(std::to_string(++version_));
  if (kube::find_path(object, {"metadata", "deletionTimestamp"}) && !has_finalizers(object)) {
    objects_.erase(key);  // the last finalizer went: the server deletes it
  } else {
    objects_[key] = object;
  }
  return object;
}

kube::ApiResult<Json> FakeObjectClient::get(const kube::ResourceRef& ref, const std::string& ns,
                                            const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto failure = begin(Verb::kGet, ref, ns, name)) return *failure;
  auto found = objects_.find({ref.plural, ns, name});
  if (found == objects_.end()) return not_found(ref.plural, name);
  return found->second;
}

kube::ApiResult<kube::ObjectList> FakeObjectClient::list(const kube::ResourceRef& ref,
                                                         const std::string& ns,
                                                         const kube::ListOptions& options) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto failure = begin(Verb::kList, ref, ns, "")) return *failure;
  const std::string name_prefix = "metadata.name=";
  std::string only_name;
  if (options.field_selector.rfind(name_prefix, 0) == 0) {
    only_name = options.field_selector.substr(name_prefix.size());
  }
  kube::ObjectList list;
  for (const auto& [key, object] : objects_) {
    const auto& [resource, object_ns, name] = key;
    if (resource != ref.plural || (!ns.empty() && object_ns != ns)) continue;
    if (!only_name.empty() && name != only_name) continue;
    if (!selected(object, options.label_selector)) continue;
    list.items.push_back(object);
  }
  list.resource_version = std::to_string(version_);
  return list;
}

kube::ApiResult<Json> FakeObjectClient::create(const kube::ResourceRef& ref, const std::string& ns,
                                               const Json& object) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string name = kube::name_of(object);
  if (auto failure = begin(Verb::kCreate, ref, ns, name)) return *failure;
  Key key{ref.plural, ref.namespaced ? ns : "", name};
  if (objects_.count(key)) {
    return ApiError(ErrorKind::kAlreadyExists,
                    ref.plural + " \"" + name + "\" already exists", 409, "AlreadyExists");
  }
  Json created = object;
  if (ref.namespaced) created["metadata"]["namespace"] = Json::string(ns);
  if (kube::string_at(created, {"metadata", "uid"}).empty()) {
    created["metadata"]["uid"] = Json::string("uid-" + std::to_string(++uids_));
  }
  return store(key, created);
}

kube::ApiResult<Json> FakeObjectClient::update(const kube::ResourceRef& ref, const Json& object) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string ns = kube::namespace_of(object);
  const std::string name = kube::name_of(object);
  if (auto failure = begin(Verb::kUpdate, ref, ns, name)) return *failure;
  auto found = objects_.find({ref.plural, ns, name});
  if (found == objects_.end()) return not_found(ref.plural, name);
  std::string version = kube::resource_version_of(object);
  if (!version.empty() && version != kube::resource_version_of(found->second)) {
    return conflict(ref.plural, name);
  }
  // The status subresource is written on its own; deletion is the server's.
  Json updated = object;
  updated["status"] = field_or_null(found->second, "status");
  if (updated.at("status").is_null()) updated.erase("status");
  if (const Json* deleting = kube::find_path(found->second, {"metadata", "deletionTimestamp"})) {
    updated["metadata"]["deletionTimestamp"] = *deleting;
  }
  return store(found->first, updated);
}

kube::ApiResult<Json> FakeObjectClient::merge_patch(const kube::ResourceRef& ref,
                                                    const std::string& ns, const std::string& name,
                                                    const Json& patch) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto failure = begin(Verb::kPatch, ref, ns, name)) return *failure;
  auto found = objects_.find({ref.plural, ns, name});
  if (found == objects_.end()) return not_found(ref.plural, name);
  std::string version = kube::string_at(patch, {"metadata", "resourceVersion"});
  if (!version.empty() && version != kube::resource_version_of(found->second)) {
    return conflict(ref.plural, name);
  }
  return store(found->first, merged(found->second, patch));
}

kube::ApiResult<Json> FakeObjectClient::update_status(const kube::ResourceRef& ref,
                                                      const Json& object) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string ns = kube::namespace_of(object);
  const std::string name = kube::name_of(object);
  if (auto failure = begin(Verb::kUpdateStatus, ref, ns, name)) return *failure;
  auto found = objects_.find({ref.plural, ns, name});
  if (found == objects_.end()) return not_found(ref.plural, name);
  std::string version = kube::resource_version_of(object);
  if (!version.empty() && version != kube::resource_version_of(found->second)) {
    return conflict(ref.plural, name);
  }
  Json updated = found->second;
  updated["status"] = field_or_null(object, "status");
  return store(found->first, updated);
}

kube::ApiStatus FakeObjectClient::remove(const kube::ResourceRef& ref, const std::string& ns,
                                         const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto failure = begin(Verb::kDelete, ref, ns, name)) return *failure;
  auto found = objects_.find({ref.plural, ns, name});
  if (found == objects_.end()) return not_found(ref.plural, name);
  if (!has_finalizers(found->second)) {
    objects_.erase(found);
    return kube::Done{};
  }
  Json deleting = found->second;
  deleting["metadata"]["deletionTimestamp"] = Json::string("2026-01-01T00:00:00Z");
  store(found->first, deleting);
  return kube::Done{};
}

std::vector<Json> FakeObjectClient::objects(const kube::ResourceRef& ref) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Json> result;
  for (const auto& [key, object] : objects_) {
    if (std::get<0>(key) == ref.plural) result.push_back(object);
  }
  return result;
}

void FakeObjectClient::fail_next(Verb verb, const std::string& resource, ErrorKind kind) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_.emplace_back(verb, resource, kind);
}

std::vector<FakeObjectClient::Request> FakeObjectClient::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::vector<FakeObjectClient::Request> FakeObjectClient::writes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Request> result;
  for (const Request& request : requests_) {
    if (request.verb != Verb::kGet && request.verb != Verb::kList) result.push_back(request);
  }
  return result;
}

void FakeObjectClient::clear_requests() {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.clear();
}

}  // namespace schemagate::testing
