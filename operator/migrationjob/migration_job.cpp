#include "migrationjob/migration_job.h"

#include "kube/json_path.h"
#include "migrationjob/job_builder.h"
#include "migrationjob/reasons.h"
#include "migrationjob/resources.h"
#include "migrationjob/status_json.h"

namespace schemagate::migrationjob {
namespace {

using kube::bool_at;
using kube::find_path;
using kube::integer_at;
using kube::string_at;

SpecProblem invalid(const std::string& field, const std::string& message) {
  return SpecProblem{reason::kInvalidSpec, field, "spec." + field + ": " + message};
}

Json value_at(const Json& root, std::initializer_list<const char*> path) {
  const Json* value = find_path(root, path);
  return value ? *value : Json::null();
}

std::optional<SpecProblem> read_pod_template(const Json& spec, PodTemplate& pod) {
  pod.labels = value_at(spec, {"podTemplate", "metadata", "labels"});
  pod.annotations = value_at(spec, {"podTemplate", "metadata", "annotations"});
  const Json pod_spec = value_at(spec, {"podTemplate", "spec"});
  pod.affinity = value_at(pod_spec, {"affinity"});
  pod.node_selector = value_at(pod_spec, {"nodeSelector"});
  pod.tolerations = value_at(pod_spec, {"tolerations"});
  pod.priority_class_name = string_at(pod_spec, {"priorityClassName"});
  pod.security_context = value_at(pod_spec, {"securityContext"});
  pod.volumes = value_at(pod_spec, {"volumes"});
  pod.image_pull_secrets = value_at(pod_spec, {"imagePullSecrets"});
  pod.service_account_name = string_at(pod_spec, {"serviceAccountName"});
  if (!pod.security_context.is_null() && !pod.security_context.is_object()) {
    return invalid("podTemplate.spec.securityContext", "must be an object");
  }
  return std::nullopt;
}

std::optional<SpecProblem> read_container(const Json& spec, ContainerTemplate& container) {
  const Json* args = find_path(spec, {"container", "args"});
  if (args && args->is_array()) {
    size_t index = 0;
    for (const Json& arg : args->as_array()) {
      const std::string field = "container.args[" + std::to_string(index++) + "]";
      if (!arg.is_string()) return invalid(field, "must be a string");
      if (std::string why = runner_owns_option(arg.as_string()); !why.empty()) {
        return invalid(field, "'" + arg.as_string() + "' is the operator's to set (" + why +
                                  "); remove it");
      }
      container.args.push_back(arg.as_string());
    }
  }
  container.env = value_at(spec, {"container", "env"});
  container.env_from = value_at(spec, {"container", "envFrom"});
  container.volume_mounts = value_at(spec, {"container", "volumeMounts"});
  container.resources = value_at(spec, {"container", "resources"});
  container.security_context = value_at(spec, {"container", "securityContext"});
  if (!container.security_context.is_null() && !container.security_context.is_object()) {
    return invalid("container.securityContext", "must be an object");
  }
  container.image_pull_policy = string_at(spec, {"container", "imagePullPolicy"});
  return std::nullopt;
}

// The CRD's schema refuses most of these already; the checks stay for
// servers that skip validation and for objects written before a CRD change.
BasicResult<MigrationJobSpec, SpecProblem> read_spec(const Json& object) {
  const Json* spec_value = find_path(object, {"spec"});
  if (!spec_value || !spec_value->is_object()) {
    return SpecProblem{reason::kInvalidSpec, "spec",
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
  parsed.safety_checks = bool_at(spec, {"safetyChecks"});
  if (auto phases = string_at(spec, {"phases"}); phases == "all") {
    parsed.phases = Phases::kAll;
  } else if (!phases.empty() && phases != "auto") {
    return invalid("phases", "'" + phases + "' is not auto or all");
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
      return SpecProblem{reason::kUnsupportedTargetKind, "rollout.targetRef.kind",
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
  parsed.resources = value_at(spec, {"resources"});
  parsed.node_selector = value_at(spec, {"nodeSelector"});
  parsed.tolerations = value_at(spec, {"tolerations"});
  parsed.image_pull_secrets = value_at(spec, {"imagePullSecrets"});
  if (auto problem = read_pod_template(spec, parsed.pod)) return *problem;
  if (auto problem = read_container(spec, parsed.container)) return *problem;
  return parsed;
}

}  // namespace

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
  if (const Json* status = find_path(object, {"status"})) job.status = read_status(*status);
  job.spec = read_spec(object);
  return job;
}

}  // namespace schemagate::migrationjob
