#pragma once

#include <string>
#include <vector>

#include "lint/finding.h"
#include "schemagate/common/result.h"

namespace schemagate::lint {

enum class ReportFormat { kText, kJson, kSarif };

/// "text", "json" or "sarif"; exit 2 otherwise.
Result<ReportFormat> parse_report_format(const std::string& name);

/// What `schemagate lint` prints.
struct Report {
  std::vector<Finding> findings;
  size_t revisions = 0;  ///< how many revisions were checked
};

/// Text for people (one finding per paragraph, `file:line: severity [rule]`),
/// JSON for scripts, or SARIF 2.1.0 for code-review annotations (every rule
/// under tool.driver.rules, one result per finding).
std::string render_report(const Report& report, ReportFormat format);

}  // namespace schemagate::lint
