#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "migrationjob/job_builder.h"
#include "operator/migrationjob/fixtures.h"

using namespace schemagate;
using namespace schemagate::migrationjob;
using kube::string_at;

TEST_CASE("a Job name is deterministic, per generation and object, and fits a label", "[migration]") {
  std::string name = job_name("shop-migrate", "uid-1", 3);
  CHECK(name == job_name("shop-migrate", "uid-1", 3));
  CHECK_THAT(name, Catch::Matches("shop-migrate-3-[0-9a-f]{4}"));
  CHECK(name != job_name("shop-migrate", "uid-1", 4));
  CHECK(name != job_name("shop-migrate", "uid-2", 3));
  std::string long_name = job_name(std::string(70, 'a') + "-b", "uid-1", 12345);
  CHECK(long_name.size() <= 63);
  CHECK_THAT(long_name, Catch::EndsWith(job_name("a", "uid-1", 12345).substr(1)));
  std::string cut_at_dash = job_name(std::string(54, 'a') + "-bbbbbbbbbb", "uid-1", 1);
  CHECK(cut_at_dash.find("--") == std::string::npos);
}

TEST_CASE("the Job runs the runner with the URL from a Secret file, non-root, owned", "[migration]") {
  MigrationJob object = read_migration_job(testing::migration_job_object());
  REQUIRE(object.spec.ok());
  Json job = build_job(object, *object.spec, "");

  CHECK(string_at(job, {"metadata", "name"}) == job_name("shop-migrate", "uid-1", 3));
  CHECK(string_at(job, {"metadata", "labels", "app.kubernetes.io/managed-by"}) ==
        "schemagate-operator");
  const Json& owner = job.at("metadata").at("ownerReferences").at(0);
  CHECK(string_at(owner, {"kind"}) == "MigrationJob");
  CHECK(string_at(owner, {"uid"}) == "uid-1");
  CHECK(kube::bool_at(owner, {"controller"}));
  CHECK(kube::integer_at(job, {"spec", "backoffLimit"}) == 2);
  CHECK(kube::integer_at(job, {"spec", "activeDeadlineSeconds"}) == 900);

  const Json& pod = job.at("spec").at("template").at("spec");
  CHECK(string_at(pod, {"restartPolicy"}) == "Never");
  CHECK_FALSE(kube::bool_at(pod, {"automountServiceAccountToken"}, true));
  CHECK(kube::bool_at(pod, {"securityContext", "runAsNonRoot"}));
  const Json& container = pod.at("containers").at(0);
  CHECK(string_at(container, {"image"}) == "registry.example/shop-migrations:1.4.0");
  CHECK(container.at("args").serialize() ==
        R"(["--dir","/migrations","--database-url-file","/var/run/schemagate/database/url",)"
        R"("--log-format","json","--termination-log","/dev/termination-log","upgrade","heads",)"
        R"("--wait-for-db","60","--lock-timeout","900"])");
  CHECK_FALSE(container.has_field("env"));
  CHECK(kube::bool_at(container, {"securityContext", "readOnlyRootFilesystem"}));
  CHECK_FALSE(kube::bool_at(container, {"securityContext", "allowPrivilegeEscalation"}, true));
  const Json& volume = pod.at("volumes").at(0);
  CHECK(string_at(volume, {"secret", "secretName"}) == "shop-db");
  CHECK(string_at(volume.at("secret").at("items").at(0), {"key"}) == "url");
  CHECK(string_at(volume.at("secret").at("items").at(0), {"path"}) == "url");
}

TEST_CASE("pod settings of the spec reach the Job's pod", "[migration]") {
  Json object = testing::migration_job_object();
  object["spec"]["serviceAccountName"] = Json::string("migrator");
  object["spec"]["nodeSelector"] = Json::parse(R"({"pool": "db"})");
  object["spec"]["tolerations"] = Json::parse(R"([{"key": "db", "operator": "Exists"}])");
  object["spec"]["imagePullSecrets"] = Json::parse(R"([{"name": "registry"}])");
  object["spec"]["resources"] = Json::parse(R"({"limits": {"memory": "64Mi"}})");
  MigrationJob parsed = read_migration_job(object);
  Json pod = build_job(parsed, *parsed.spec, "").at("spec").at("template").at("spec");
  CHECK(string_at(pod, {"serviceAccountName"}) == "migrator");
  CHECK(string_at(pod, {"nodeSelector", "pool"}) == "db");
  CHECK(string_at(pod.at("tolerations").at(0), {"key"}) == "db");
  CHECK(string_at(pod.at("imagePullSecrets").at(0), {"name"}) == "registry");
  CHECK(string_at(pod.at("containers").at(0), {"resources", "limits", "memory"}) == "64Mi");
}

TEST_CASE("spec problems name the field and say what to do", "[migration]") {
  auto problem = [](const std::string& pointer_field, const char* value) {
    Json object = testing::migration_job_object();
    if (pointer_field == "kind") {
      object["spec"]["rollout"]["targetRef"]["kind"] = Json::string(value);
    } else if (pointer_field == "image") {
      object["spec"]["image"] = Json::string(value);
    } else if (pointer_field == "target") {
      object["spec"]["target"] = Json::string(value);
    } else {
      object["spec"]["database"]["urlSecretRef"]["key"] = Json::string(value);
    }
    MigrationJob parsed = read_migration_job(object);
    REQUIRE_FALSE(parsed.spec.ok());
    return parsed.spec.error();
  };
  CHECK(problem("kind", "DaemonSet").reason == "UnsupportedTargetKind");
  CHECK_THAT(problem("kind", "DaemonSet").message,
             Catch::Contains("spec.rollout.targetRef.kind: 'DaemonSet'") &&
                 Catch::Contains("use Deployment or StatefulSet"));
  CHECK_THAT(problem("image", "").message, Catch::StartsWith("spec.image: required"));
  CHECK_THAT(problem("target", "-1").message, Catch::Contains("only upgrades"));
  CHECK(problem("key", "").field == "database.urlSecretRef");
}

namespace {

// The pod template of the Job built for the fixture's object with `spec`
// (JSON text) merged into its spec.
Json pod_template_of(const std::string& spec, const std::string& inherited_pull_policy = "") {
  Json object = testing::migration_job_object();
  const Json fields = Json::parse(spec);
  for (const auto& [field, value] : fields.as_object()) object["spec"][field] = value;
  MigrationJob parsed = read_migration_job(object);
  INFO((parsed.spec.ok() ? std::string() : parsed.spec.error().message));
  REQUIRE(parsed.spec.ok());
  return build_job(parsed, *parsed.spec, inherited_pull_policy).at("spec").at("template");
}

std::string names(const Json& list, const char* field = "name") {
  std::string result;
  for (const Json& item : list.as_array()) result += string_at(item, {field}) + " ";
  return result;
}

}  // namespace

TEST_CASE("podTemplate metadata: labels join the operator's, which win; annotations pass", "[migration]") {
  Json pod = pod_template_of(R"({"podTemplate": {"metadata": {
      "labels": {"team": "shop", "app.kubernetes.io/managed-by": "helm"},
      "annotations": {"sidecar.istio.io/inject": "false"}}}})");
  CHECK(string_at(pod, {"metadata", "labels", "team"}) == "shop");
  CHECK(string_at(pod, {"metadata", "labels", "app.kubernetes.io/managed-by"}) ==
        "schemagate-operator");
  CHECK(string_at(pod, {"metadata", "labels", "app.kubernetes.io/component"}) == "migration");
  CHECK(string_at(pod, {"metadata", "annotations", "sidecar.istio.io/inject"}) == "false");
  CHECK_FALSE(pod_template_of("{}").at("metadata").has_field("annotations"));
}

TEST_CASE("podTemplate spec: affinity, priority, volumes; the URL volume and Never stay ours", "[migration]") {
  Json pod = pod_template_of(R"({"podTemplate": {"spec": {
      "affinity": {"nodeAffinity": {"x": 1}}, "priorityClassName": "migrations",
      "volumes": [{"name": "ca", "configMap": {"name": "db-ca"}},
                  {"name": "database-url", "emptyDir": {}}]}}})").at("spec");
  CHECK(kube::integer_at(pod, {"affinity", "nodeAffinity", "x"}) == 1);
  CHECK(string_at(pod, {"priorityClassName"}) == "migrations");
  CHECK(string_at(pod, {"restartPolicy"}) == "Never");
  CHECK(names(pod.at("volumes")) == "database-url ca ");
  CHECK(string_at(pod.at("volumes").at(0), {"secret", "secretName"}) == "shop-db");
}

TEST_CASE("spec-level pod fields combine with podTemplate's as Kubernetes merges", "[migration]") {
  Json pod = pod_template_of(R"({
      "serviceAccountName": "old", "nodeSelector": {"pool": "db", "zone": "a"},
      "tolerations": [{"key": "db", "operator": "Exists"}],
      "imagePullSecrets": [{"name": "registry"}], "resources": {"limits": {"memory": "64Mi"}},
      "podTemplate": {"spec": {"serviceAccountName": "migrator", "nodeSelector": {"zone": "b"},
                               "tolerations": [{"key": "spot", "operator": "Exists"}],
                               "imagePullSecrets": [{"name": "registry"}, {"name": "mirror"}]}},
      "container": {"resources": {"requests": {"cpu": "10m"}}}})").at("spec");
  // A single value: the newer field wins.
  CHECK(string_at(pod, {"serviceAccountName"}) == "migrator");
  // A map: merged, the newer field winning a key.
  CHECK(pod.at("nodeSelector").serialize() == R"({"pool":"db","zone":"b"})");
  // Lists: appended, a pull secret once per name.
  CHECK(names(pod.at("tolerations"), "key") == "db spot ");
  CHECK(names(pod.at("imagePullSecrets")) == "registry mirror ");
  // Resources: replaced as a whole.
  CHECK(pod.at("containers").at(0).at("resources").serialize() == R"({"requests":{"cpu":"10m"}})");
}

TEST_CASE("container: args follow the runner's, env and mounts added, the URL mount ours", "[migration]") {
  Json container = pod_template_of(R"({"container": {
      "args": ["--lock-mode", "table", "--lock-timeout=30"],
      "env": [{"name": "PGSSLROOTCERT", "value": "/etc/db-ca/ca.crt"}],
      "envFrom": [{"configMapRef": {"name": "pg"}}],
      "volumeMounts": [{"name": "ca", "mountPath": "/etc/db-ca"},
                       {"name": "other", "mountPath": "/var/run/schemagate/database"}]}})")
                       .at("spec").at("containers").at(0);
  // --lock-timeout given: the operator's default is left out.
  CHECK(container.at("args").serialize() ==
        R"(["--dir","/migrations","--database-url-file","/var/run/schemagate/database/url",)"
        R"("--log-format","json","--termination-log","/dev/termination-log","upgrade","heads",)"
        R"("--wait-for-db","60","--lock-mode","table","--lock-timeout=30"])");
  CHECK(string_at(container.at("env").at(0), {"name"}) == "PGSSLROOTCERT");
  CHECK(string_at(container.at("envFrom").at(0), {"configMapRef", "name"}) == "pg");
  CHECK(names(container.at("volumeMounts")) == "database-url ca ");
}

TEST_CASE("safetyChecks adds the runner's --safety-checks once", "[migration]") {
  auto args_of = [](const char* spec) {
    return pod_template_of(spec).at("spec").at("containers").at(0).at("args").serialize();
  };
  CHECK(args_of(R"({"safetyChecks": true})").find(R"("--safety-checks"])") != std::string::npos);
  CHECK(args_of(R"({})").find("--safety-checks") == std::string::npos);
  std::string given = args_of(R"({"safetyChecks": true, "container": {"args": ["--safety-checks"]}})");
  CHECK(given.find("--safety-checks") == given.rfind("--safety-checks"));
}

TEST_CASE("container args that would take the URL or the report from the operator are refused",
          "[migration]") {
  for (const char* arg : {"--database-url-file", "--database-url=postgres://x", "--termination-log"}) {
    Json object = testing::migration_job_object();
    object["spec"]["container"]["args"] = Json::array({Json::string("--verbose"), Json::string(arg)});
    MigrationJob parsed = read_migration_job(object);
    REQUIRE_FALSE(parsed.spec.ok());
    CHECK(parsed.spec.error().field == "container.args[1]");
    CHECK_THAT(parsed.spec.error().message,
               Catch::StartsWith("spec.container.args[1]: '" + std::string(arg)) &&
                   Catch::EndsWith("remove it"));
  }
  CHECK(runner_owns_option("--database-url-filex").empty());
  CHECK(runner_owns_option("--lock-mode").empty());
}

TEST_CASE("securityContexts are merge patches over secure defaults; one of the spec's drops the uid",
          "[migration]") {
  Json pod = pod_template_of(R"({
      "podTemplate": {"spec": {"securityContext": {"supplementalGroups": [5],
                                                   "seccompProfile": null}}},
      "container": {"securityContext": {"readOnlyRootFilesystem": false}}})").at("spec");
  // What OpenShift's restricted SCC accepts: no fixed ids, runAsNonRoot kept.
  CHECK(pod.at("securityContext").serialize() == R"({"runAsNonRoot":true,"supplementalGroups":[5]})");
  const Json& container = pod.at("containers").at(0).at("securityContext");
  CHECK_FALSE(kube::bool_at(container, {"readOnlyRootFilesystem"}, true));
  CHECK_FALSE(kube::bool_at(container, {"allowPrivilegeEscalation"}, true));
  CHECK(container.at("capabilities").at("drop").serialize() == R"(["ALL"])");

  Json fixed = pod_template_of("{}").at("spec").at("securityContext");
  CHECK(kube::integer_at(fixed, {"runAsUser"}) == 65532);
  CHECK(kube::integer_at(fixed, {"fsGroup"}) == 65532);
  Json chosen = pod_template_of(R"({"podTemplate": {"spec": {"securityContext": {"runAsUser": 1000}}}})");
  CHECK(chosen.at("spec").at("securityContext").serialize() ==
        R"({"runAsNonRoot":true,"runAsUser":1000,"seccompProfile":{"type":"RuntimeDefault"}})");
}

TEST_CASE("the pull policy: the container's, else the gated workload's, else Kubernetes'",
          "[migration]") {
  auto policy = [](const std::string& spec, const std::string& inherited) {
    Json container = pod_template_of(spec, inherited).at("spec").at("containers").at(0);
    return string_at(container, {"imagePullPolicy"});
  };
  CHECK(policy(R"({"container": {"imagePullPolicy": "Never"}})", "Always") == "Never");
  CHECK(policy("{}", "Always") == "Always");
  CHECK(policy("{}", "").empty());

  Json deployment = Json::parse(R"({"spec": {"template": {"spec": {"containers": [
      {"name": "api", "imagePullPolicy": "Always"}, {"name": "side", "imagePullPolicy": "Never"}]}}}})");
  CHECK(workload_pull_policy(read_workload(deployment)) == "Always");
  CHECK(workload_pull_policy(read_workload(testing::deployment())).empty());
  CHECK(workload_pull_policy(std::nullopt).empty());
}
