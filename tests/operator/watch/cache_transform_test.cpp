#include <catch2/catch.hpp>

#include "migrationjob/job_progress.h"
#include "migrationjob/resources.h"
#include "migrationjob/views.h"
#include "watch/cache_transform.h"

using schemagate::kube::Json;
using schemagate::migrationjob::read_job_progress;
using schemagate::watch::cache_transform_for;
using schemagate::watch::strip_bookkeeping;
using schemagate::watch::strip_job;
using schemagate::watch::strip_secret;

namespace {

// As the API server sends them: managedFields on every object, kubectl's
// annotation on applied ones.
const char* kManagedFields = R"([{"manager":"kubectl","operation":"Update",
  "apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}])";
const char* kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

Json migration_job(bool bookkeeping) {
  Json object = Json::parse(R"({
    "apiVersion":"schemagate.io/v1alpha1","kind":"MigrationJob",
    "metadata":{"name":"app","namespace":"ns","uid":"u1","resourceVersion":"7","generation":3,
      "labels":{"app":"bench"},"annotations":{"team":"db"},
      "ownerReferences":[{"kind":"Deployment","name":"web","uid":"u0"}],
      "finalizers":["example.com/keep"]},
    "spec":{"image":"registry.example/app:1","database":{"urlSecretRef":{"name":"db","key":"url"}},
      "podTemplate":{"metadata":{"annotations":{"a":"b"}}},
      "rollout":{"targetRef":{"kind":"Deployment","name":"web"}}},
    "status":{"observedGeneration":3,"jobName":"app-3","attempts":1,
      "conditions":[{"type":"Ready","status":"True","reason":"Succeeded"}]}})");
  if (bookkeeping) {
    object["metadata"]["managedFields"] = Json::parse(kManagedFields);
    object["metadata"]["annotations"][kLastApplied] = Json::string(R"({"spec":{"image":"x"}})");
  }
  return object;
}

Json job(bool bookkeeping, bool spec) {
  Json object = Json::parse(R"({
    "apiVersion":"batch/v1","kind":"Job",
    "metadata":{"name":"app-3","namespace":"ns","uid":"u2","resourceVersion":"9",
      "labels":{"app.kubernetes.io/managed-by":"schemagate-operator"},
      "annotations":{"schemagate.io/generation":"3"},
      "ownerReferences":[{"apiVersion":"schemagate.io/v1alpha1","kind":"MigrationJob",
        "name":"app","uid":"u1","controller":true}]},
    "status":{"active":0,"failed":1,"succeeded":0,"startTime":"2026-12-07T10:00:00Z",
      "conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded",
        "message":"Job has reached the specified backoff limit",
        "lastTransitionTime":"2026-12-07T10:01:00Z"}]}})");
  if (bookkeeping) object["metadata"]["managedFields"] = Json::parse(kManagedFields);
  if (spec) {
    object["spec"] = Json::parse(R"({"backoffLimit":2,"completions":1,
      "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u2"}},
      "template":{"metadata":{"labels":{"job-name":"app-3"}},
        "spec":{"restartPolicy":"Never","containers":[{"name":"schemagate",
          "image":"registry.example/app:1","args":["upgrade","heads"],
          "terminationMessagePolicy":"FallbackToLogsOnError"}]}}})");
  }
  return object;
}

}  // namespace

TEST_CASE("the cache keeps a MigrationJob whole but for managedFields and kubectl's copy",
          "[watch]") {
  Json object = migration_job(true);
  strip_bookkeeping(object);
  // Everything the reconciler reads or writes back (spec, status, labels,
  // other annotations, owners, finalizers, generation, resourceVersion).
  CHECK(object == migration_job(false));
  CHECK_FALSE(object["metadata"].has_field("managedFields"));
  CHECK_FALSE(object["metadata"]["annotations"].has_field(kLastApplied));
}

TEST_CASE("an annotation map left empty is dropped, one without kubectl's copy is untouched",
          "[watch]") {
  Json only_applied = Json::parse(R"({"metadata":{"name":"a","annotations":{}}})");
  only_applied["metadata"]["annotations"][kLastApplied] = Json::string("{}");
  strip_bookkeeping(only_applied);
  CHECK(only_applied == Json::parse(R"({"metadata":{"name":"a"}})"));

  Json plain = migration_job(false);
  strip_bookkeeping(plain);
  CHECK(plain == migration_job(false));
}

TEST_CASE("objects without metadata or of another shape pass unharmed", "[watch]") {
  for (const char* text : {R"({})", R"({"metadata":"x"})", R"([1,2])", R"("text")",
                           R"({"metadata":{"annotations":"x"}})"}) {
    Json object = Json::parse(text);
    strip_job(object);
    CHECK(object == Json::parse(text));
  }
}

TEST_CASE("the cache keeps a Job's metadata and status, not its spec", "[watch]") {
  Json full = job(true, true);
  Json object = full;
  strip_job(object);
  CHECK(object == job(false, false));
  CHECK(object["metadata"]["annotations"]["schemagate.io/generation"].as_string() == "3");

  // What the reconciler reads of a Job comes out the same.
  auto before = read_job_progress(full);
  auto after = read_job_progress(object);
  CHECK(after.state == before.state);
  CHECK(after.state == schemagate::migrationjob::JobProgress::State::kFailed);
  CHECK(after.attempts == before.attempts);
  CHECK(after.start_time == before.start_time);
  CHECK(after.completion_time == before.completion_time);
  CHECK(after.reason == before.reason);
  CHECK(after.message == before.message);
}

TEST_CASE("the transform is chosen by resource", "[watch]") {
  Json from_jobs = job(true, true);
  cache_transform_for(schemagate::migrationjob::kJobs)(from_jobs);
  CHECK(from_jobs == job(false, false));

  // Only a Job loses its spec: a MigrationJob's is what the reconciler acts on.
  Json migration = migration_job(true);
  cache_transform_for(schemagate::migrationjob::kMigrationJobs)(migration);
  CHECK(migration == migration_job(false));
  CHECK(migration["spec"]["image"].as_string() == "registry.example/app:1");
}

TEST_CASE("the cache keeps a Secret's name, version and key names, never its values", "[watch]") {
  Json secret = Json::parse(R"({"apiVersion":"v1","kind":"Secret","type":"Opaque",
    "metadata":{"name":"db","namespace":"ns","uid":"u3","resourceVersion":"11",
      "labels":{"app":"shop"},"annotations":{"team":"db"},"managedFields":[]},
    "data":{"url":"cG9zdGdyZXM6Ly9hcHA6c2VjcmV0QGRiL2FwcA==","password":"c2VjcmV0"}})");
  cache_transform_for(schemagate::migrationjob::kSecrets)(secret);
  CHECK(secret == Json::parse(R"({"metadata":{"name":"db","namespace":"ns",
    "resourceVersion":"11"},"data":{"url":"","password":""}})"));
  CHECK(schemagate::migrationjob::read_secret(secret).has_key("url"));
  CHECK(secret.serialize().find("c2VjcmV0") == std::string::npos);

  // A Secret with no data keeps no data field; other shapes pass as empty objects.
  Json empty = Json::parse(R"({"metadata":{"name":"e","namespace":"ns"}})");
  strip_secret(empty);
  CHECK(empty == Json::parse(R"({"metadata":{"name":"e","namespace":"ns"}})"));
  Json odd = Json::parse(R"({"metadata":"x","data":{}})");
  strip_secret(odd);
  CHECK(odd == Json::parse(R"({"data":{}})"));
}
