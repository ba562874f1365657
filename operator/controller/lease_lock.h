#pragma once

#include <chrono>
#include <string>

#include "kube/api_result.h"
#include "kube/client.h"
#include "kube/object.h"
#include "kube/time_format.h"

namespace schemagate::controller {

/// The fields of a coordination.k8s.io/v1 Lease that leader election uses.
struct LeaseRecord {
  std::string holder_identity;  ///< empty: released
  int lease_duration_seconds = 0;
  std::string acquire_time;  ///< RFC 3339 with microseconds
  std::string renew_time;
  int lease_transitions = 0;
  /// Of the object read; an update with a stale one fails with kConflict.
  std::string resource_version;

  /// Same content, ignoring resource_version.
  bool same_as(const LeaseRecord& other) const;
};

/// The Lease object named `name` in `ns` holding `record`, and back.
kube::Json lease_to_json(const std::string& ns, const std::string& name,
                         const LeaseRecord& record);
LeaseRecord lease_from_json(const kube::Json& lease);

/// Where the lease lives. Abstract so that leader election is tested in
/// memory with a fake clock.
class LeaseLock {
 public:
  virtual ~LeaseLock() = default;
  /// kNotFound when there is no lease yet.
  virtual kube::ApiResult<LeaseRecord> get() = 0;
  /// kAlreadyExists when another candidate created it first.
  virtual kube::ApiStatus create(const LeaseRecord& record) = 0;
  /// kConflict when the lease changed since it was read.
  virtual kube::ApiStatus update(const LeaseRecord& record) = 0;
  /// "namespace/name", for logs.
  virtual std::string describe() const = 0;
};

/// A Lease object in the API server.
class KubeLeaseLock final : public LeaseLock {
 public:
  KubeLeaseLock(kube::Client& client, std::string ns, std::string name)
      : client_(client), ns_(std::move(ns)), name_(std::move(name)) {}
  kube::ApiResult<LeaseRecord> get() override;
  kube::ApiStatus create(const LeaseRecord& record) override;
  kube::ApiStatus update(const LeaseRecord& record) override;
  std::string describe() const override { return ns_ + "/" + name_; }

  static const kube::ResourceRef kLeases;

 private:
  kube::Client& client_;
  std::string ns_;
  std::string name_;
};

}  // namespace schemagate::controller
