#include <catch2/catch.hpp>

#include "kube/json_path.h"
#include "migration/job_builder.h"
#include "operator/migration/fixtures.h"

using namespace schemagate;
using namespace schemagate::migration;
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
  Json job = build_job(object, *object.spec);

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
  Json pod = build_job(parsed, *parsed.spec).at("spec").at("template").at("spec");
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
