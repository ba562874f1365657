#include "watch/cache_transform.h"

namespace schemagate::watch {
namespace {

constexpr const char* kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

void erase_field(kube::Json& object, const char* field) {
  if (object.is_object() && object.has_field(field)) object.erase(field);
}

}  // namespace

void strip_bookkeeping(kube::Json& object) {
  if (!object.is_object() || !object.has_object_field("metadata")) return;
  kube::Json& metadata = object.at("metadata");
  erase_field(metadata, "managedFields");
  if (metadata.has_object_field("annotations")) {
    kube::Json& annotations = metadata.at("annotations");
    erase_field(annotations, kLastApplied);
    if (annotations.size() == 0) metadata.erase("annotations");
  }
}

void strip_job(kube::Json& object) {
  strip_bookkeeping(object);
  erase_field(object, "spec");
}

void strip_secret(kube::Json& object) {
  if (!object.is_object()) return;
  kube::Json kept = kube::Json::object();
  if (object.has_object_field("metadata")) {
    const kube::Json& metadata = object.at("metadata");
    for (const char* field : {"name", "namespace", "resourceVersion"}) {
      if (metadata.has_field(field)) kept["metadata"][field] = metadata.at(field);
    }
  }
  if (object.has_object_field("data")) {
    kube::Json keys = kube::Json::object();
    for (const auto& field : object.at("data").as_object()) {
      keys[field.first] = kube::Json::string("");
    }
    kept["data"] = std::move(keys);
  }
  object = std::move(kept);
}

ObjectTransform cache_transform_for(const kube::ResourceRef& ref) {
  if (ref.group == "batch" && ref.plural == "jobs") return strip_job;
  if (ref.group.empty() && ref.plural == "secrets") return strip_secret;
  return strip_bookkeeping;
}

}  // namespace schemagate::watch
