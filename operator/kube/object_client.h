#pragma once

#include <string>

#include "kube/api_result.h"
#include "kube/object.h"
#include "kube/resource.h"

namespace schemagate::kube {

/// The object verbs a controller's reconciler uses. Client implements them
/// against the API server; unit tests use an in-memory fake
/// (tests/support/fake_object_client.h) to drive the I/O half of a
/// reconciler without one. Every failure is an ApiError of a known kind, so
/// callers branch on NotFound, AlreadyExists and Conflict as they would
/// against a server.
class ObjectClient {
 public:
  virtual ~ObjectClient() = default;

  virtual ApiResult<Json> get(const ResourceRef& ref, const std::string& ns,
                              const std::string& name) = 0;
  /// One page; ListOptions::limit and continue_token page through.
  virtual ApiResult<ObjectList> list(const ResourceRef& ref, const std::string& ns,
                                     const ListOptions& options) = 0;
  virtual ApiResult<Json> create(const ResourceRef& ref, const std::string& ns,
                                 const Json& object) = 0;
  /// PUT: fails with kConflict unless metadata.resourceVersion is current.
  virtual ApiResult<Json> update(const ResourceRef& ref, const Json& object) = 0;
  /// JSON merge patch (RFC 7386); a metadata.resourceVersion in the patch
  /// makes it conditional, as update is.
  virtual ApiResult<Json> merge_patch(const ResourceRef& ref, const std::string& ns,
                                      const std::string& name, const Json& patch) = 0;
  /// PUT of the status subresource: only status changes.
  virtual ApiResult<Json> update_status(const ResourceRef& ref, const Json& object) = 0;
  virtual ApiStatus remove(const ResourceRef& ref, const std::string& ns,
                           const std::string& name) = 0;
};

}  // namespace schemagate::kube
