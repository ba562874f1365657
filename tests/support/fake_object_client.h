#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kube/object_client.h"

namespace schemagate::testing {

/// An API server in memory, for unit tests of a reconciler's I/O: objects
/// of any resource, each write giving a new resourceVersion, with the
/// answers a server gives (NotFound, AlreadyExists, Conflict on a stale
/// resourceVersion, finalizers that keep a deleted object until removed).
/// It records every request and can be told to fail the next ones.
class FakeObjectClient final : public kube::ObjectClient {
 public:
  enum class Verb { kGet, kList, kCreate, kUpdate, kPatch, kUpdateStatus, kDelete };

  struct Request {
    Verb verb;
    std::string resource;  ///< the plural: "jobs", "migrationjobs", ...
    std::string ns;
    std::string name;  ///< "" for lists
  };

  kube::ApiResult<kube::Json> get(const kube::ResourceRef& ref, const std::string& ns,
                                  const std::string& name) override;
  /// Filters by namespace ("" for all), by a label selector of `k=v` terms
  /// and by the field selector `metadata.name=x`; ignores paging.
  kube::ApiResult<kube::ObjectList> list(const kube::ResourceRef& ref, const std::string& ns,
                                         const kube::ListOptions& options) override;
  kube::ApiResult<kube::Json> create(const kube::ResourceRef& ref, const std::string& ns,
                                     const kube::Json& object) override;
  kube::ApiResult<kube::Json> update(const kube::ResourceRef& ref,
                                     const kube::Json& object) override;
  kube::ApiResult<kube::Json> merge_patch(const kube::ResourceRef& ref, const std::string& ns,
                                          const std::string& name,
                                          const kube::Json& patch) override;
  kube::ApiResult<kube::Json> update_status(const kube::ResourceRef& ref,
                                            const kube::Json& object) override;
  kube::ApiStatus remove(const kube::ResourceRef& ref, const std::string& ns,
                         const std::string& name) override;

  /// Every object of `ref`, as a list would return them (for an informer's store).
  std::vector<kube::Json> objects(const kube::ResourceRef& ref) const;
  /// Makes the next request of `verb` on `resource` fail with `kind`.
  void fail_next(Verb verb, const std::string& resource, kube::ErrorKind kind);

  std::vector<Request> requests() const;
  /// The requests that change something (create, update, patch, status, delete).
  std::vector<Request> writes() const;
  void clear_requests();

 private:
  using Key = std::tuple<std::string, std::string, std::string>;  ///< resource, ns, name

  /// Records the request; an injected failure for it, if any.
  std::optional<kube::ApiError> begin(Verb verb, const kube::ResourceRef& ref,
                                      const std::string& ns, const std::string& name);
  /// Stores `object` under a new resourceVersion (and a new generation when
  /// its spec changed); returns what was stored.
  kube::Json store(const Key& key, kube::Json object);

  mutable std::mutex mutex_;
  std::map<Key, kube::Json> objects_;
  int64_t version_ = 0;
  int64_t uids_ = 0;
  std::vector<Request> requests_;
  std::vector<std::tuple<Verb, std::string, kube::ErrorKind>> failures_;
};

}  // namespace schemagate::testing
