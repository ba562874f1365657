#include "lint/report.h"

#include <algorithm>

#include "lint/rule_catalog.h"
#include "schemagate/common/json_text.h"

namespace schemagate::lint {
namespace {

std::string quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

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

std::string finding_json(const Finding& finding) {
  std::string out = "{\"rule\":" + quoted(finding.rule) +
                    ",\"severity\":" + quoted(to_string(finding.severity)) +
                    ",\"file\":" + quoted(finding.path) +
                    ",\"line\":" + std::to_string(finding.line) +
                    ",\"message\":" + quoted(finding.message);
  if (finding.lock) {
    out += ",\"lock\":{\"mode\":" + quoted(finding.lock->mode) +
           ",\"table\":" + quoted(finding.lock->table) +
           ",\"duration\":" + quoted(to_string(finding.lock->duration)) + "}";
  }
  out += ",\"rewrite\":" + quoted(finding.rewrite) + "}";
  return out;
}

std::string render_json(const Report& report) {
  size_t errors = static_cast<size_t>(
      std::count_if(report.findings.begin(), report.findings.end(),
                    [](const Finding& f) { return f.severity == Severity::kError; }));
  std::string out = "{\"findings\":[";
  for (size_t i = 0; i < report.findings.size(); ++i) {
    out += (i == 0 ? "" : ",") + finding_json(report.findings[i]);
  }
  out += "],\"errors\":" + std::to_string(errors) +
         ",\"warnings\":" + std::to_string(report.findings.size() - errors) +
         ",\"revisions\":" + std::to_string(report.revisions) + "}\n";
  return out;
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
  std::string out =
      "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
      "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"schemagate\",\"rules\":[";
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    out += std::string(i == 0 ? "" : ",") + "{\"id\":" + quoted(rule.id) +
           ",\"shortDescription\":{\"text\":" + quoted(rule.summary) + "}" +
           ",\"fullDescription\":{\"text\":" + quoted(rule.why) + "}" +
           ",\"help\":{\"text\":" + quoted(std::string("Instead: ") + rule.rewrite) + "}" +
           ",\"defaultConfiguration\":{\"level\":" + quoted(sarif_level(rule.severity)) + "}}";
  }
  out += "]}},\"results\":[";
  for (size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    auto rule = std::find_if(rules.begin(), rules.end(),
                             [&](const Rule& r) { return finding.rule == r.id; });
    std::string text = finding.message;
    if (finding.lock) text += ". Locks " + lock_sentence(*finding.lock);
    if (!finding.rewrite.empty()) text += ". Instead: " + finding.rewrite;
    out += std::string(i == 0 ? "" : ",") + "{\"ruleId\":" + quoted(finding.rule) +
           ",\"ruleIndex\":" + std::to_string(rule - rules.begin()) +
           ",\"level\":" + quoted(sarif_level(finding.severity)) +
           ",\"message\":{\"text\":" + quoted(text) + "}" +
           ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":" +
           quoted(artifact_uri(finding.path)) + "},\"region\":{\"startLine\":" +
           std::to_string(std::max(finding.line, 1)) + "}}}]}";
  }
  out += "]}]}\n";
  return out;
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
