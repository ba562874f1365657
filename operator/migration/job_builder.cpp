#include "migration/job_builder.h"

#include "migration/resources.h"
#include "schemagate/common/sha256.h"

namespace schemagate::migration {
namespace {

constexpr size_t kMaxJobName = 63;
// Kept a day after finishing for `kubectl logs`; status already holds the
// outcome, so the Job's removal loses nothing.
constexpr int kFinishedJobTtlSeconds = 86400;
constexpr int kRunnerUid = 65532;

Json text_array(std::initializer_list<std::string> items) {
  std::vector<Json> values;
  for (const std::string& item : items) values.push_back(Json::string(item));
  return Json::array(values);
}

Json labels() {
  Json result = Json::object();
  result["app.kubernetes.io/name"] = Json::string("schemagate");
  result["app.kubernetes.io/component"] = Json::string("migration");
  result[kManagedByLabel] = Json::string(kManagedByValue);
  return result;
}

Json security_context() {
  Json context = Json::object();
  context["allowPrivilegeEscalation"] = Json::boolean(false);
  context["readOnlyRootFilesystem"] = Json::boolean(true);
  context["capabilities"]["drop"] = text_array({"ALL"});
  return context;
}

Json pod_security_context() {
  Json context = Json::object();
  context["runAsNonRoot"] = Json::boolean(true);
  context["runAsUser"] = Json::number(kRunnerUid);
  context["runAsGroup"] = Json::number(kRunnerUid);
  // The Secret file is group-readable by this group, so the non-root runner reads it.
  context["fsGroup"] = Json::number(kRunnerUid);
  context["seccompProfile"]["type"] = Json::string("RuntimeDefault");
  return context;
}

Json runner_container(const MigrationJobSpec& spec) {
  Json container = Json::object();
  container["name"] = Json::string(kRunnerContainer);
  container["image"] = Json::string(spec.image);
  container["imagePullPolicy"] = Json::string("IfNotPresent");
  container["args"] = text_array({
      "--dir", spec.migrations_dir,
      "--database-url-file", std::string(kUrlDirectory) + "/url",
      "--log-format", "json",
      "--termination-log", "/dev/termination-log",
      "upgrade", spec.target,
      "--wait-for-db", "60",
      // Another runner (an app's init container) may hold the migration lock.
      "--lock-timeout", std::to_string(spec.active_deadline_seconds),
  });
  container["terminationMessagePath"] = Json::string("/dev/termination-log");
  // A runner killed before it wrote its report still leaves its last log lines.
  container["terminationMessagePolicy"] = Json::string("FallbackToLogsOnError");
  if (!spec.resources.is_null()) container["resources"] = spec.resources;
  Json mount = Json::object();
  mount["name"] = Json::string("database-url");
  mount["mountPath"] = Json::string(kUrlDirectory);
  mount["readOnly"] = Json::boolean(true);
  container["volumeMounts"] = Json::array({mount});
  container["securityContext"] = security_context();
  return container;
}

Json url_volume(const MigrationJobSpec& spec) {
  Json item = Json::object();
  item["key"] = Json::string(spec.database_url.key);
  item["path"] = Json::string("url");
  Json volume = Json::object();
  volume["name"] = Json::string("database-url");
  volume["secret"]["secretName"] = Json::string(spec.database_url.name);
  volume["secret"]["items"] = Json::array({item});
  volume["secret"]["defaultMode"] = Json::number(0440);
  return volume;
}

Json owner_reference(const MigrationJob& job) {
  Json owner = Json::object();
  owner["apiVersion"] = Json::string(kMigrationJobs.api_version());
  owner["kind"] = Json::string("MigrationJob");
  owner["name"] = Json::string(job.name);
  owner["uid"] = Json::string(job.uid);
  owner["controller"] = Json::boolean(true);
  return owner;
}

}  // namespace

std::string job_name(const std::string& name, const std::string& uid, int64_t generation) {
  std::string suffix = "-" + std::to_string(generation) + "-" +
                       sha256_hex(uid + "/" + std::to_string(generation)).substr(0, 4);
  std::string prefix = name.substr(0, kMaxJobName - suffix.size());
  // A shortened name must still end in an alphanumeric character.
  while (!prefix.empty() && (prefix.back() == '-' || prefix.back() == '.')) prefix.pop_back();
  return prefix + suffix;
}

Json build_job(const MigrationJob& job, const MigrationJobSpec& spec) {
  Json pod_spec = Json::object();
  pod_spec["restartPolicy"] = Json::string("Never");
  // The runner talks to PostgreSQL only; it needs no API credentials.
  pod_spec["automountServiceAccountToken"] = Json::boolean(false);
  if (!spec.service_account_name.empty()) {
    pod_spec["serviceAccountName"] = Json::string(spec.service_account_name);
  }
  if (!spec.node_selector.is_null()) pod_spec["nodeSelector"] = spec.node_selector;
  if (!spec.tolerations.is_null()) pod_spec["tolerations"] = spec.tolerations;
  if (!spec.image_pull_secrets.is_null()) pod_spec["imagePullSecrets"] = spec.image_pull_secrets;
  pod_spec["securityContext"] = pod_security_context();
  pod_spec["containers"] = Json::array({runner_container(spec)});
  pod_spec["volumes"] = Json::array({url_volume(spec)});

  Json result = Json::object();
  result["apiVersion"] = Json::string("batch/v1");
  result["kind"] = Json::string("Job");
  Json& metadata = result["metadata"];
  metadata["name"] = Json::string(job_name(job.name, job.uid, job.generation));
  metadata["namespace"] = Json::string(job.ns);
  metadata["labels"] = labels();
  metadata["annotations"][kGenerationAnnotation] = Json::string(std::to_string(job.generation));
  metadata["ownerReferences"] = Json::array({owner_reference(job)});
  Json& job_spec = result["spec"];
  job_spec["backoffLimit"] = Json::number(spec.backoff_limit);
  job_spec["activeDeadlineSeconds"] = Json::number(spec.active_deadline_seconds);
  job_spec["ttlSecondsAfterFinished"] = Json::number(kFinishedJobTtlSeconds);
  job_spec["template"]["metadata"]["labels"] = labels();
  job_spec["template"]["spec"] = pod_spec;
  return result;
}

}  // namespace schemagate::migration
