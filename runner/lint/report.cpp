#include "lint/report.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "lint/rule_catalog.h"

namespace schemagate::lint {
namespace {

std::string lock_sentence(const LockImpact& lock) {
  return lock.mode + " on " + lock.table + ", held " +
         (lock.duration == LockDuration::kInstant ? std::string("briefly once granted (instant)")
                                                  : std::string("for the whole ") +
                                                        to_string(lock.duration));
}

std::string render_text(const Report& report) {
  std::string out;
  size_t errors = 0;
  for (const Finding& finding : report.findings) {
    errors += finding.severity == Severity::kError ? 1 : 0;
    out += finding.path + ":" + std::to_string(finding.line) + ": " + to_string(finding.severity) +
           " [" + finding.rule + "] " + finding.message + "\n";
    if (finding.lock) out += "    locks: " + lock_sentence(*finding.lock) + "\n";
    if (!finding.rewrite.empty()) out += "    instead: " + finding.rewrite + "\n";
  }
  out += std::to_string(errors) + " error(s), " +
         std::to_string(report.findings.size() - errors) + " warning(s) in " +
         std::to_string(report.revisions) + " revision(s)\n";
  return out;
}

using Json = nlohmann::ordered_json;

/// Compact JSON on one line; bytes that are not UTF-8 (a path or a message
/// quoting the SQL) become U+FFFD instead of failing the report.
std::string printed(const Json& document) {
  return document.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json finding_json(const Finding& finding) {
  Json out = {{"rule", finding.rule},
              {"severity", to_string(finding.severity)},
              {"file", finding.path},
              {"line", finding.line},
              {"message", finding.message}};
  if (finding.lock) {
    out["lock"] = {{"mode", finding.lock->mode},
                   {"table", finding.lock->table},
                   {"duration", to_string(finding.lock->duration)}};
  }
  out["rewrite"] = finding.rewrite;
  return out;
}

std::string render_json(const Report& report) {
  size_t errors = static_cast<size_t>(
      std::count_if(report.findings.begin(), report.findings.end(),
                    [](const Finding& f) { return f.severity == Severity::kError; }));
  Json findings = Json::array();
  for (const Finding& finding : report.findings) findings.push_back(finding_json(finding));
  return printed({{"findings", std::move(findings)},
                  {"errors", errors},
                  {"warnings", report.findings.size() - errors},
                  {"revisions", report.revisions}});
}

const char* sarif_level(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

/// A file path as SARIF wants a relative URI: forward slashes, no "./".
std::string artifact_uri(std::string path) {
  std::replace(path.begin(), path.end(), '\\', '/');
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  return path;
}

std::string render_sarif(const Report& report) {
  const std::vector<Rule>& rules = rule_catalog();
  Json rule_entries = Json::array();
  for (const Rule& rule : rules) {
    rule_entries.push_back(
        {{"id", rule.id},
         {"shortDescription", {{"text", rule.summary}}},
         {"fullDescription", {{"text", rule.why}}},
         {"help", {{"text", std::string("Instead: ") + rule.rewrite}}},
         {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}}});
  }
  Json results = Json::array();
  for (const Finding& finding : report.findings) {
    auto rule = std::find_if(rules.begin(), rules.end(),
                             [&](const Rule& r) { return finding.rule == r.id; });
    std::string text = finding.message;
    if (finding.lock) text += ". Locks " + lock_sentence(*finding.lock);
    if (!finding.rewrite.empty()) text += ". Instead: " + finding.rewrite;
    Json location = {
        {"physicalLocation",
         {{"artifactLocation", {{"uri", artifact_uri(finding.path)}}},
          {"region", {{"startLine", std::max(finding.line, 1)}}}}}};
    results.push_back({{"ruleId", finding.rule},
                       {"ruleIndex", rule - rules.begin()},
                       {"level", sarif_level(finding.severity)},
                       {"message", {{"text", text}}},
                       {"locations", Json::array({std::move(location)})}});
  }
  Json run = {{"tool", {{"driver", {{"name", "schemagate"}, {"rules", std::move(rule_entries)}}}}},
              {"results", std::move(results)}};
  return printed({{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                  {"version", "2.1.0"},
                  {"runs", Json::array({std::move(run)})}});
}

}  // namespace

Result<ReportFormat> parse_report_format(const std::string& name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "sarif") return ReportFormat::kSarif;
  return Error(ErrorCode::kInvalid, "--format must be text, json or sarif, not '" + name + "'");
}

std::string render_report(const Report& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kJson: return render_json(report);
    case ReportFormat::kSarif: return render_sarif(report);
    case ReportFormat::kText: break;
  }
  return render_text(report);
}

}  // namespace schemagate::lint
