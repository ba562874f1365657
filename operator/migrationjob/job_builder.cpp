#include "migrationjob/job_builder.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "migrationjob/json_merge.h"
#include "migrationjob/resources.h"
#include "schemagate/common/runner_contract.h"
#include "schemagate/common/sha256.h"

namespace schemagate::migrationjob {
namespace {

constexpr size_t kMaxJobName = 63;
// Kept a day after finishing for `kubectl logs`; status already holds the
// outcome, so the Job's removal loses nothing.
constexpr int kFinishedJobTtlSeconds = 86400;
constexpr int kRunnerUid = 65532;
constexpr const char* kUrlVolume = "database-url";

namespace option = runner_contract::option;
using runner_contract::flag;

Json text_array(const std::vector<std::string>& items) {
  std::vector<Json> values;
  for (const std::string& item : items) values.push_back(Json::string(item));
  return Json::array(values);
}

// "--lock-timeout" and "--lock-timeout=30" both set --lock-timeout.
bool sets_option(const std::string& arg, const std::string& option) {
  return arg == option || arg.rfind(option + "=", 0) == 0;
}

bool user_sets(const MigrationJobSpec& spec, const std::string& option) {
  return std::any_of(spec.container.args.begin(), spec.container.args.end(),
                     [&](const std::string& arg) { return sets_option(arg, option); });
}

const char* phase_text(JobPhase phase) {
  return phase == JobPhase::kExpand ? "expand" : phase == JobPhase::kContract ? "contract" : "all";
}

std::vector<std::string> runner_args(const MigrationJobSpec& spec, JobPhase phase) {
  std::vector<std::string> args;
  auto defaulted = [&](const char* name, const std::string& value) {
    if (user_sets(spec, flag(name))) return;
    args.push_back(flag(name));
    args.push_back(value);
  };
  defaulted(option::kDir, spec.migrations_dir);
  args.insert(args.end(), {flag(option::kDatabaseUrlFile), std::string(kUrlDirectory) + "/url"});
  defaulted(option::kLogFormat, runner_contract::kJsonLogFormat);
  args.insert(args.end(), {flag(option::kTerminationLog), runner_contract::kTerminationLogPath,
                           runner_contract::kUpgradeCommand, spec.target});
  if (phase != JobPhase::kAll) args.insert(args.end(), {flag(option::kPhase), phase_text(phase)});
  defaulted(option::kWaitForDb, "60");
  // Another runner (an app's init container) may hold the migration lock.
  defaulted(option::kLockTimeout, std::to_string(spec.active_deadline_seconds));
  if (spec.safety_checks && !user_sets(spec, flag(option::kSafetyChecks))) {
    args.push_back(flag(option::kSafetyChecks));
  }
  args.insert(args.end(), spec.container.args.begin(), spec.container.args.end());
  return args;
}

void set_if_present(Json& object, const char* field, const Json& value) {
  if (!value.is_null()) object[field] = value;
}

Json own_labels() {
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

// The fixed ids only when the spec gives no securityContext: a platform
// that assigns them (OpenShift's restricted SCC) refuses fixed ones.
Json pod_security_context(const Json& user) {
  Json context = Json::object();
  context["runAsNonRoot"] = Json::boolean(true);
  if (user.is_null()) {
    context["runAsUser"] = Json::number(kRunnerUid);
    context["runAsGroup"] = Json::number(kRunnerUid);
    // The Secret file is group-readable by this group, so the non-root runner reads it.
    context["fsGroup"] = Json::number(kRunnerUid);
  }
  context["seccompProfile"]["type"] = Json::string("RuntimeDefault");
  return merge_patch(context, user);
}

Json runner_container(const MigrationJobSpec& spec, const std::string& inherited_pull_policy,
                      JobPhase phase) {
  const ContainerTemplate& extra = spec.container;
  Json container = Json::object();
  container["name"] = Json::string(kRunnerContainer);
  container["image"] = Json::string(spec.image);
  // A Job that migrates with a cached old image while the app pulls the
  // new one would record the wrong revision: pull as the app does.
  std::string pull_policy =
      extra.image_pull_policy.empty() ? inherited_pull_policy : extra.image_pull_policy;
  if (!pull_policy.empty()) container["imagePullPolicy"] = Json::string(pull_policy);
  container["args"] = text_array(runner_args(spec, phase));
  set_if_present(container, "env", extra.env);
  set_if_present(container, "envFrom", extra.env_from);
  container["terminationMessagePath"] = Json::string(runner_contract::kTerminationLogPath);
  // A runner killed before it wrote its report still leaves its last log lines.
  container["terminationMessagePolicy"] = Json::string("FallbackToLogsOnError");
  set_if_present(container, "resources",
                 extra.resources.is_null() ? spec.resources : extra.resources);
  Json mount = Json::object();
  mount["name"] = Json::string(kUrlVolume);
  mount["mountPath"] = Json::string(kUrlDirectory);
  mount["readOnly"] = Json::boolean(true);
  Json user_mounts = without(without(extra.volume_mounts, "name", kUrlVolume), "mountPath",
                             kUrlDirectory);
  container["volumeMounts"] = appended(Json::array({mount}), user_mounts);
  container["securityContext"] = merge_patch(security_context(), extra.security_context);
  return container;
}

Json url_volume(const MigrationJobSpec& spec) {
  Json item = Json::object();
  item["key"] = Json::string(spec.database_url.key);
  item["path"] = Json::string("url");
  Json volume = Json::object();
  volume["name"] = Json::string(kUrlVolume);
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

std::string job_name(const std::string& name, const std::string& uid, int64_t generation,
                     JobPhase phase) {
  std::string hashed = uid + "/" + std::to_string(generation);
  std::string suffix = "-" + std::to_string(generation) + "-";
  if (phase == JobPhase::kContract) {
    hashed += "/contract";
    suffix += "contract-";
  }
  suffix += sha256_hex(hashed).substr(0, 4);
  std::string prefix = name.substr(0, kMaxJobName - suffix.size());
  // A shortened name must still end in an alphanumeric character.
  while (!prefix.empty() && (prefix.back() == '-' || prefix.back() == '.')) prefix.pop_back();
  return prefix + suffix;
}

std::string runner_owns_option(const std::string& arg) {
  static const std::pair<const char*, const char*> kOwned[] = {
      {option::kDatabaseUrlFile, "the URL is spec.database.urlSecretRef, mounted as a file"},
      {option::kDatabaseUrl, "the URL is spec.database.urlSecretRef, mounted as a file"},
      {option::kTerminationLog, "the operator reads the runner's report from it"},
  };
  for (const auto& [name, why] : kOwned) {
    if (sets_option(arg, flag(name))) return why;
  }
  return "";
}

bool splits_phases(const MigrationJobSpec& spec) {
  return spec.phases == Phases::kAuto && spec.rollout_target &&
         !user_sets(spec, flag(option::kPhase));
}

std::string workload_pull_policy(const std::optional<Workload>& workload) {
  return workload ? workload->pull_policy : "";
}

Json build_job(const MigrationJob& job, const MigrationJobSpec& spec,
               const std::string& inherited_pull_policy, JobPhase phase) {
  const PodTemplate& pod = spec.pod;
  Json pod_spec = Json::object();
  pod_spec["restartPolicy"] = Json::string("Never");
  // The runner talks to PostgreSQL only; it needs no API credentials.
  pod_spec["automountServiceAccountToken"] = Json::boolean(false);
  const std::string& account =
      pod.service_account_name.empty() ? spec.service_account_name : pod.service_account_name;
  if (!account.empty()) pod_spec["serviceAccountName"] = Json::string(account);
  if (!pod.priority_class_name.empty()) {
    pod_spec["priorityClassName"] = Json::string(pod.priority_class_name);
  }
  set_if_present(pod_spec, "affinity", pod.affinity);
  set_if_present(pod_spec, "nodeSelector", merge_patch(spec.node_selector, pod.node_selector));
  set_if_present(pod_spec, "tolerations", appended(spec.tolerations, pod.tolerations));
  set_if_present(pod_spec, "imagePullSecrets",
                 appended(spec.image_pull_secrets, pod.image_pull_secrets, "name"));
  pod_spec["securityContext"] = pod_security_context(pod.security_context);
  pod_spec["containers"] = Json::array({runner_container(spec, inherited_pull_policy, phase)});
  pod_spec["volumes"] =
      appended(Json::array({url_volume(spec)}), without(pod.volumes, "name", kUrlVolume));

  Json result = Json::object();
  result["apiVersion"] = Json::string("batch/v1");
  result["kind"] = Json::string("Job");
  Json& metadata = result["metadata"];
  metadata["name"] = Json::string(job_name(job.name, job.uid, job.generation, phase));
  metadata["namespace"] = Json::string(job.ns);
  metadata["labels"] = own_labels();
  metadata["annotations"][kGenerationAnnotation] = Json::string(std::to_string(job.generation));
  metadata["annotations"][kPhaseAnnotation] = Json::string(phase_text(phase));
  metadata["ownerReferences"] = Json::array({owner_reference(job)});
  Json& job_spec = result["spec"];
  job_spec["backoffLimit"] = Json::number(spec.backoff_limit);
  job_spec["activeDeadlineSeconds"] = Json::number(spec.active_deadline_seconds);
  job_spec["ttlSecondsAfterFinished"] = Json::number(kFinishedJobTtlSeconds);
  Json& pod_metadata = job_spec["template"]["metadata"];
  pod_metadata["labels"] = merge_patch(pod.labels, own_labels());
  set_if_present(pod_metadata, "annotations", pod.annotations);
  job_spec["template"]["spec"] = pod_spec;
  return result;
}

}  // namespace schemagate::migrationjob
