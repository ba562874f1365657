#include <catch2/catch.hpp>

#include "migrationjob/views.h"
#include "operator/migrationjob/fixtures.h"

using namespace schemagate;
using namespace schemagate::migrationjob;

TEST_CASE("a workload is read once into what the gate and the Job builder use",
          "[migration][views]") {
  Workload plain = read_workload(testing::deployment());
  CHECK(plain.text() == "Deployment/shop-api");
  CHECK(plain.resource_version == "7");
  CHECK_FALSE(plain.gate);
  CHECK(plain.paused.is_null());
  CHECK(plain.pull_policy.empty());

  Workload sts = read_workload(kube::Json::parse(R"({"kind": "StatefulSet",
    "metadata": {"name": "db", "resourceVersion": "3", "annotations":
      {"schemagate.io/rollout-gate": "{\"owner\":\"shop/m\",\"field\":\"spec.paused\",\"previous\":false}"}},
    "spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 2}},
             "template": {"spec": {"containers": [{"imagePullPolicy": "IfNotPresent"}]}}}})"));
  CHECK(sts.update_strategy == "OnDelete");
  CHECK(sts.partition.as_integer() == 2);
  CHECK(sts.pull_policy == "IfNotPresent");
  REQUIRE(sts.gate);
  CHECK(sts.gate->owner == "shop/m");
  CHECK(sts.gate->previous.as_bool() == false);
}

TEST_CASE("a Secret is read for its key names only", "[migration][views]") {
  SecretView secret = read_secret(kube::Json::parse(R"({"data": {"url": "cG9zdGdyZXM6Ly8="}})"));
  CHECK(secret.keys == std::vector<std::string>{"url"});
  CHECK(secret.has_key("url"));
  CHECK_FALSE(secret.has_key("password"));
  CHECK(read_secret(kube::Json::parse(R"({"metadata": {"name": "empty"}})")).keys.empty());
}

TEST_CASE("a Job is read into its name and progress", "[migration][views]") {
  JobView job = read_job(testing::job_with_status(R"({"active": 1})"));
  CHECK(job.name == "x");
  CHECK(job.progress.state == JobProgress::State::kRunning);
}
