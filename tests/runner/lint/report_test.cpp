#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lint/report.h"
#include "lint/rule_catalog.h"
#include "runner/lint/lint_support.h"

using namespace schemagate;
using Json = nlohmann::json;

namespace {

lint::Report sample_report() {
  lint::Report report;
  report.findings =
      testing::lint_sql("CREATE TABLE x (at timestamp);\n\nCREATE INDEX i ON \"t\" (a)");
  for (lint::Finding& finding : report.findings) finding.path = "./migrations/versions/a_b.sql";
  report.revisions = 1;
  return report;
}

const std::string& text_of(const Json& node, const std::string& key) {
  REQUIRE(node.is_object());
  auto member = node.find(key);
  REQUIRE(member != node.end());
  REQUIRE(member->is_string());
  return member->get_ref<const std::string&>();
}

const Json& array_of(const Json& node, const std::string& key) {
  REQUIRE(node.is_object());
  auto member = node.find(key);
  REQUIRE(member != node.end());
  REQUIRE(member->is_array());
  return *member;
}

Json parsed(const std::string& text) {
  Json document = Json::parse(text, nullptr, false);
  REQUIRE_FALSE(document.is_discarded());
  return document;
}

}  // namespace

TEST_CASE("SARIF 2.1.0: the rules, and results pointing at them and at file lines",
          "[lint][report]") {
  lint::Report report = sample_report();
  REQUIRE(report.findings.size() == 2);
  Json sarif = parsed(lint::render_report(report, lint::ReportFormat::kSarif));
  CHECK(text_of(sarif, "version") == "2.1.0");
  CHECK(sarif.contains("$schema"));
  const Json& runs = array_of(sarif, "runs");
  REQUIRE(runs.size() == 1);
  REQUIRE(runs[0].at("tool").at("driver").is_object());
  const Json& driver = runs[0].at("tool").at("driver");
  CHECK(text_of(driver, "name") == "schemagate");
  const Json& rules = array_of(driver, "rules");
  REQUIRE(rules.size() == lint::rule_catalog().size());
  for (const Json& rule : rules) {
    CHECK_FALSE(text_of(rule, "id").empty());
    REQUIRE(rule.contains("shortDescription"));
    CHECK_FALSE(text_of(rule.at("shortDescription"), "text").empty());
    REQUIRE(rule.contains("defaultConfiguration"));
    std::string level = text_of(rule.at("defaultConfiguration"), "level");
    CHECK((level == "error" || level == "warning"));
  }
  const Json& results = array_of(runs[0], "results");
  REQUIRE(results.size() == 2);
  const Json& index_result = results[1];
  CHECK(text_of(index_result, "ruleId") == "require-concurrent-index-creation");
  CHECK(text_of(index_result, "level") == "error");
  REQUIRE(index_result.at("ruleIndex").is_number_integer());
  CHECK(text_of(rules.at(index_result.at("ruleIndex").get<size_t>()), "id") ==
        "require-concurrent-index-creation");
  CHECK(text_of(index_result.at("message"), "text").find("SHARE on t") != std::string::npos);
  const Json& locations = array_of(index_result, "locations");
  REQUIRE(locations.size() == 1);
  const Json& physical = locations[0].at("physicalLocation");
  REQUIRE(physical.is_object());
  CHECK(text_of(physical.at("artifactLocation"), "uri") == "migrations/versions/a_b.sql");
  CHECK(physical.at("region").at("startLine") == 3);
}

TEST_CASE("JSON and text reports", "[lint][report]") {
  lint::Report report = sample_report();
  Json json = parsed(lint::render_report(report, lint::ReportFormat::kJson));
  CHECK(json.at("errors") == 1);
  CHECK(json.at("warnings") == 1);
  const Json& findings = array_of(json, "findings");
  REQUIRE(findings.size() == 2);
  CHECK(text_of(findings[1].at("lock"), "mode") == "SHARE");
  CHECK(text_of(findings[1].at("lock"), "duration") == "index build");

  std::string text = lint::render_report(report, lint::ReportFormat::kText);
  CHECK(text.find("./migrations/versions/a_b.sql:3: error [require-concurrent-index-creation]") !=
        std::string::npos);
  CHECK(text.find("locks: SHARE on t, held for the whole index build") != std::string::npos);
  CHECK(text.find("1 error(s), 1 warning(s) in 1 revision(s)") != std::string::npos);
  CHECK_FALSE(lint::parse_report_format("xml"));
}

TEST_CASE("bytes that are not UTF-8 in a path or message still make valid JSON and SARIF",
          "[lint][report]") {
  lint::Report report = sample_report();
  report.findings[0].path = "migrations/versions/\xff\xfe.sql";
  report.findings[0].message += " \xc3";
  for (lint::ReportFormat format : {lint::ReportFormat::kJson, lint::ReportFormat::kSarif}) {
    std::string printed = lint::render_report(report, format);
    CHECK(printed.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD in their place
    parsed(printed);
  }
}
