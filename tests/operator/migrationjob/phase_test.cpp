#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <vector>

#include "migrationjob/phase.h"

using namespace schemagate::migrationjob;

TEST_CASE("every phase has its status.phase name, and reads back from it", "[migration][phase]") {
  CHECK(std::string(to_string(Phase::kPending)) == "Pending");
  CHECK(std::string(to_string(Phase::kRunning)) == "Running");
  CHECK(std::string(to_string(Phase::kExpanding)) == "Expanding");
  CHECK(std::string(to_string(Phase::kRollingOut)) == "RollingOut");
  CHECK(std::string(to_string(Phase::kContracting)) == "Contracting");
  CHECK(std::string(to_string(Phase::kSucceeded)) == "Succeeded");
  CHECK(std::string(to_string(Phase::kFailed)) == "Failed");
  for (const PhaseName& row : kPhases) {
    CHECK(std::string(to_string(row.phase)) == row.name);
    CHECK(parse_phase(row.name) == row.phase);
  }
  CHECK_FALSE(parse_phase(""));
  CHECK_FALSE(parse_phase("pending"));
}

TEST_CASE("only Succeeded and Failed end a generation's run", "[migration][phase]") {
  CHECK(finished(Phase::kSucceeded));
  CHECK(finished(Phase::kFailed));
  CHECK_FALSE(finished(Phase::kPending));
  CHECK_FALSE(finished(Phase::kRunning));
  CHECK_FALSE(finished(Phase::kRollingOut));
  CHECK_FALSE(finished(Phase::kContracting));
}

TEST_CASE("the CRD allows exactly the phases the operator writes", "[migration][phase]") {
  YAML::Node crd = YAML::LoadFile(std::string(SCHEMAGATE_SOURCE_DIR) +
                                  "/deploy/crds/schemagate.io_migrationjobs.yaml");
  std::vector<std::string> allowed;
  for (const YAML::Node& version : crd["spec"]["versions"]) {
    YAML::Node phases =
        version["schema"]["openAPIV3Schema"]["properties"]["status"]["properties"]["phase"]["enum"];
    for (const YAML::Node& phase : phases) allowed.push_back(phase.as<std::string>());
  }
  std::vector<std::string> written;
  for (const PhaseName& row : kPhases) written.push_back(row.name);
  CHECK(allowed == written);
}
