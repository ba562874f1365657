#include "controller/lease_lock.h"

#include "kube/json_path.h"

namespace schemagate::controller {
namespace {

using kube::Json;

int integer(const Json& spec, const char* field) {
  return static_cast<int>(kube::integer_at(spec, {field}).value_or(0));
}

}  // namespace

const kube::ResourceRef KubeLeaseLock::kLeases{"coordination.k8s.io", "v1", "leases", true};

bool LeaseRecord::same_as(const LeaseRecord& other) const {
  return holder_identity == other.holder_identity &&
         lease_duration_seconds == other.lease_duration_seconds &&
         acquire_time == other.acquire_time && renew_time == other.renew_time &&
         lease_transitions == other.lease_transitions;
}

Json lease_to_json(const std::string& ns, const std::string& name, const LeaseRecord& record) {
  Json lease = Json::object();
  lease["apiVersion"] = Json::string("coordination.k8s.io/v1");
  lease["kind"] = Json::string("Lease");
  Json metadata = Json::object();
  metadata["name"] = Json::string(name);
  metadata["namespace"] = Json::string(ns);
  if (!record.resource_version.empty()) {
    metadata["resourceVersion"] = Json::string(record.resource_version);
  }
  lease["metadata"] = metadata;
  Json spec = Json::object();
  // An empty holder is written as absent, as client-go does on release.
  if (!record.holder_identity.empty()) {
    spec["holderIdentity"] = Json::string(record.holder_identity);
  }
  spec["leaseDurationSeconds"] = Json::number(record.lease_duration_seconds);
  if (!record.acquire_time.empty()) spec["acquireTime"] = Json::string(record.acquire_time);
  if (!record.renew_time.empty()) spec["renewTime"] = Json::string(record.renew_time);
  spec["leaseTransitions"] = Json::number(record.lease_transitions);
  lease["spec"] = spec;
  return lease;
}

LeaseRecord lease_from_json(const Json& lease) {
  LeaseRecord record;
  record.resource_version = kube::resource_version_of(lease);
  if (!lease.is_object() || !lease.has_object_field("spec")) return record;
  const Json& spec = lease.at("spec");
  record.holder_identity = kube::string_at(spec, {"holderIdentity"});
  record.lease_duration_seconds = integer(spec, "leaseDurationSeconds");
  record.acquire_time = kube::string_at(spec, {"acquireTime"});
  record.renew_time = kube::string_at(spec, {"renewTime"});
  record.lease_transitions = integer(spec, "leaseTransitions");
  return record;
}

kube::ApiResult<LeaseRecord> KubeLeaseLock::get() {
  kube::ApiResult<Json> lease = client_.get(kLeases, ns_, name_);
  if (!lease) return lease.error();
  return lease_from_json(*lease);
}

kube::ApiStatus KubeLeaseLock::create(const LeaseRecord& record) {
  LeaseRecord fresh = record;
  fresh.resource_version.clear();
  kube::ApiResult<Json> created = client_.create(kLeases, ns_, lease_to_json(ns_, name_, fresh));
  if (!created) return created.error();
  return kube::Done{};
}

kube::ApiStatus KubeLeaseLock::update(const LeaseRecord& record) {
  kube::ApiResult<Json> updated = client_.update(kLeases, lease_to_json(ns_, name_, record));
  if (!updated) return updated.error();
  return kube::Done{};
}

}  // namespace schemagate::controller
