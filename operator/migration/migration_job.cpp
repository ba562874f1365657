#include "migration/migration_job.h"

#include "kube/json_path.h"
#include "migration/resources.h"

namespace schemagate::migration {
namespace {

using kube::find_path;
using kube::integer_at;
using kube::string_at;

SpecProblem invalid(const std::string& field, const std::string& message) {
  return SpecProblem{"InvalidSpec", field, "spec." + field + ": " + message};
}

// The CRD's schema refuses most of these already; the checks stay for
// servers that skip validation and for objects written before a CRD change.
BasicResult<MigrationJobSpec, SpecProblem> read_spec(const Json& object) {
  const Json* spec_value = find_path(object, {"spec"});
  if (!spec_value || !spec_value->is_object()) {
    return SpecProblem{"InvalidSpec", "spec",
                       "spec: missing; a MigrationJob needs spec.image and spec.database"};
  }
  const Json& spec = *spec_value;
  MigrationJobSpec parsed;
  parsed.image = string_at(spec, {"image"});
  if (parsed.image.empty()) {
    return invalid("image", "required: the image holding /schemagate and the migrations");
  }
  if (auto dir = string_at(spec, {"migrationsDir"}); !dir.empty()) parsed.migrations_dir = dir;
  if (auto target = string_at(spec, {"target"}); !target.empty()) parsed.target = target;
  if (parsed.target[0] == '-') {
    return invalid("target", "'" + parsed.target +
                                 "' walks backwards; a MigrationJob only upgrades (run "
                                 "`schemagate downgrade` yourself, then set the target)");
  }
  parsed.database_url.name = string_at(spec, {"database", "urlSecretRef", "name"});
  parsed.database_url.key = string_at(spec, {"database", "urlSecretRef", "key"});
  if (parsed.database_url.name.empty() || parsed.database_url.key.empty()) {
    return invalid("database.urlSecretRef",
                   "name and key are required: the Secret key holding the database URL");
  }
  if (find_path(spec, {"rollout", "targetRef"})) {
    TargetRef target{string_at(spec, {"rollout", "targetRef", "kind"}),
                     string_at(spec, {"rollout", "targetRef", "name"})};
    if (target.kind != "Deployment" && target.kind != "StatefulSet") {
      return SpecProblem{"UnsupportedTargetKind", "rollout.targetRef.kind",
                         "spec.rollout.targetRef.kind: '" + target.kind +
                             "' cannot be held; use Deployment or StatefulSet"};
    }
    if (target.name.empty()) {
      return invalid("rollout.targetRef.name", "required: the workload to hold back");
    }
    parsed.rollout_target = target;
  }
  if (auto limit = integer_at(spec, {"backoffLimit"})) {
    if (*limit < 0) return invalid("backoffLimit", "must be 0 or more");
    parsed.backoff_limit = *limit;
  }
  if (auto deadline = integer_at(spec, {"activeDeadlineSeconds"})) {
    if (*deadline < 1) return invalid("activeDeadlineSeconds", "must be 1 or more");
    parsed.active_deadline_seconds = *deadline;
  }
  parsed.service_account_name = string_at(spec, {"serviceAccountName"});
  auto pass_through = [&spec](const char* field) {
    const Json* value = find_path(spec, {field});
    return value ? *value : Json::null();
  };
  parsed.resources = pass_through("resources");
  parsed.node_selector = pass_through("nodeSelector");
  parsed.tolerations = pass_through("tolerations");
  parsed.image_pull_secrets = pass_through("imagePullSecrets");
  return parsed;
}

}  // namespace

std::string MigrationJob::status_text(const char* field) const {
  return string_at(status, {field});
}

int64_t MigrationJob::observed_generation() const {
  return integer_at(status, {"observedGeneration"}).value_or(0);
}

MigrationJob read_migration_job(const Json& object) {
  MigrationJob job;
  job.ns = string_at(object, {"metadata", "namespace"});
  job.name = string_at(object, {"metadata", "name"});
  job.uid = string_at(object, {"metadata", "uid"});
  job.generation = integer_at(object, {"metadata", "generation"}).value_or(1);
  job.deleting = find_path(object, {"metadata", "deletionTimestamp"}) != nullptr;
  if (const Json* finalizers = find_path(object, {"metadata", "finalizers"});
      finalizers && finalizers->is_array()) {
    for (const Json& finalizer : finalizers->as_array()) {
      job.has_finalizer = job.has_finalizer ||
                          (finalizer.is_string() && finalizer.as_string() == kFinalizer);
    }
  }
  if (const Json* status = find_path(object, {"status"})) job.status = *status;
  job.spec = read_spec(object);
  return job;
}

}  // namespace schemagate::migration
