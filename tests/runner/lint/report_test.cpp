#include <catch2/catch.hpp>

#include "lint/report.h"
#include "lint/rule_catalog.h"
#include "runner/lint/lint_support.h"
#include "sql/json_value.h"

using namespace schemagate;
using sql::JsonValue;

namespace {

lint::Report sample_report() {
  lint::Report report;
  report.findings =
      testing::lint_sql("CREATE TABLE x (at timestamp);\n\nCREATE INDEX i ON \"t\" (a)");
  for (lint::Finding& finding : report.findings) finding.path = "./migrations/versions/a_b.sql";
  report.revisions = 1;
  return report;
}

const std::string& text_of(const JsonValue& node, const std::string& key) {
  const JsonValue* member = node.find(key);
  REQUIRE(member != nullptr);
  REQUIRE(member->string() != nullptr);
  return *member->string();
}

const JsonValue::Array& array_of(const JsonValue& node, const std::string& key) {
  const JsonValue* member = node.find(key);
  REQUIRE(member != nullptr);
  REQUIRE(member->array() != nullptr);
  return *member->array();
}

}  // namespace

TEST_CASE("SARIF 2.1.0: the rules, and results pointing at them and at file lines",
          "[lint][report]") {
  lint::Report report = sample_report();
  REQUIRE(report.findings.size() == 2);
  auto sarif = JsonValue::parse(lint::render_report(report, lint::ReportFormat::kSarif));
  REQUIRE(sarif);
  CHECK(text_of(*sarif, "version") == "2.1.0");
  CHECK(sarif->find("$schema") != nullptr);
  const JsonValue::Array& runs = array_of(*sarif, "runs");
  REQUIRE(runs.size() == 1);
  const JsonValue* driver = runs[0].find("tool") ? runs[0].find("tool")->find("driver") : nullptr;
  REQUIRE(driver != nullptr);
  CHECK(text_of(*driver, "name") == "schemagate");
  const JsonValue::Array& rules = array_of(*driver, "rules");
  REQUIRE(rules.size() == lint::rule_catalog().size());
  for (const JsonValue& rule : rules) {
    CHECK_FALSE(text_of(rule, "id").empty());
    REQUIRE(rule.find("shortDescription") != nullptr);
    CHECK_FALSE(text_of(*rule.find("shortDescription"), "text").empty());
    REQUIRE(rule.find("defaultConfiguration") != nullptr);
    std::string level = text_of(*rule.find("defaultConfiguration"), "level");
    CHECK((level == "error" || level == "warning"));
  }
  const JsonValue::Array& results = array_of(runs[0], "results");
  REQUIRE(results.size() == 2);
  const JsonValue& index_result = results[1];
  CHECK(text_of(index_result, "ruleId") == "require-concurrent-index-creation");
  CHECK(text_of(index_result, "level") == "error");
  const std::string* rule_index = index_result.find("ruleIndex")->number();
  REQUIRE(rule_index != nullptr);
  CHECK(text_of(rules.at(std::stoul(*rule_index)), "id") == "require-concurrent-index-creation");
  CHECK(text_of(*index_result.find("message"), "text").find("SHARE on t") != std::string::npos);
  const JsonValue::Array& locations = array_of(index_result, "locations");
  REQUIRE(locations.size() == 1);
  const JsonValue* physical = locations[0].find("physicalLocation");
  REQUIRE(physical != nullptr);
  CHECK(text_of(*physical->find("artifactLocation"), "uri") == "migrations/versions/a_b.sql");
  CHECK(*physical->find("region")->find("startLine")->number() == "3");
}

TEST_CASE("JSON and text reports", "[lint][report]") {
  lint::Report report = sample_report();
  auto json = JsonValue::parse(lint::render_report(report, lint::ReportFormat::kJson));
  REQUIRE(json);
  CHECK(*json->find("errors")->number() == "1");
  CHECK(*json->find("warnings")->number() == "1");
  const JsonValue::Array& findings = array_of(*json, "findings");
  REQUIRE(findings.size() == 2);
  CHECK(text_of(*findings[1].find("lock"), "mode") == "SHARE");
  CHECK(text_of(*findings[1].find("lock"), "duration") == "index build");

  std::string text = lint::render_report(report, lint::ReportFormat::kText);
  CHECK(text.find("./migrations/versions/a_b.sql:3: error [require-concurrent-index-creation]") !=
        std::string::npos);
  CHECK(text.find("locks: SHARE on t, held for the whole index build") != std::string::npos);
  CHECK(text.find("1 error(s), 1 warning(s) in 1 revision(s)") != std::string::npos);
  CHECK_FALSE(lint::parse_report_format("xml"));
}
