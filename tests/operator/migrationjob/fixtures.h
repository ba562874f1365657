#pragma once

#include <string>
#include <vector>

#include "kube/object.h"
#include "kube/resource.h"
#include "migrationjob/migration_job.h"
#include "watch/cache_transform.h"

namespace schemagate::testing {

/// A MigrationJob as the API server returns it: generation 3, uid "uid-1",
/// gated on Deployment shop-api, with `status` (JSON text) as its status.
inline kube::Json migration_job_object(const std::string& status = "null") {
  return kube::Json::parse(R"({
    "apiVersion": "schemagate.io/v1alpha1", "kind": "MigrationJob",
    "metadata": {"name": "shop-migrate", "namespace": "shop", "uid": "uid-1",
                 "generation": 3, "resourceVersion": "10",
                 "finalizers": ["schemagate.io/rollout-gate"]},
    "spec": {"image": "registry.example/shop-migrations:1.4.0", "migrationsDir": "/migrations",
             "target": "heads", "database": {"urlSecretRef": {"name": "shop-db", "key": "url"}},
             "rollout": {"targetRef": {"kind": "Deployment", "name": "shop-api"}},
             "backoffLimit": 2, "activeDeadlineSeconds": 900},
    "status": )" + status + "}");
}

inline kube::Json deployment(const std::string& extra_metadata = "",
                             const std::string& paused = "") {
  return kube::Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "shop-api", "namespace": "shop", "resourceVersion": "7")" +
                           extra_metadata + R"(},
    "spec": {"replicas": 2)" + paused + "}}");
}

/// A Job status as the Job controller writes it.
inline kube::Json job_with_status(const std::string& status) {
  return kube::Json::parse(R"({"apiVersion": "batch/v1", "kind": "Job",
    "metadata": {"name": "x", "namespace": "shop"}, "status": )" + status + "}");
}

/// `objects` of `ref` as an informer's cache holds them (watch::cache_transform_for).
inline std::vector<kube::Json> as_cached(const kube::ResourceRef& ref,
                                         std::vector<kube::Json> objects) {
  watch::ObjectTransform transform = watch::cache_transform_for(ref);
  for (kube::Json& object : objects) transform(object);
  return objects;
}

}  // namespace schemagate::testing
