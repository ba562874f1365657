#include "lint/policy.h"

#include <algorithm>

#include "lint/rule_catalog.h"

namespace schemagate::lint {
namespace {

Error unknown_rule(const std::string& where, const std::string& rule, const std::string& what) {
  std::string known;
  for (const Rule& entry : rule_catalog()) {
    known += (known.empty() ? "" : ", ") + std::string(entry.id);
  }
  return Error(ErrorCode::kInvalid, where + ": unknown lint rule '" + rule + "' in " + what +
                                        " (docs/lint.md describes them); known: " + known);
}

}  // namespace

Result<RuleLevels> rule_levels(const std::map<std::string, config::LintRuleSetting>& settings) {
  RuleLevels levels;
  for (const auto& [rule, setting] : settings) {
    if (find_rule(rule) == nullptr) return unknown_rule(setting.where, rule, "'lint.rules'");
    if (setting.level == "off") {
      levels[rule] = std::nullopt;
    } else {
      levels[rule] = setting.level == "error" ? Severity::kError : Severity::kWarning;
    }
  }
  return levels;
}

Status check_ignores(const script::Migration& migration) {
  for (const script::LintIgnore& ignore : migration.lint_ignores) {
    if (find_rule(ignore.rule) == nullptr) {
      return unknown_rule(migration.path + ":" + std::to_string(ignore.line), ignore.rule,
                          "'-- schemagate:lint-ignore'");
    }
  }
  return {};
}

std::vector<Finding> apply_policy(std::vector<Finding> findings, const RuleLevels& levels,
                                  const std::vector<script::LintIgnore>& ignores) {
  std::vector<Finding> kept;
  for (Finding& finding : findings) {
    bool ignored = std::any_of(ignores.begin(), ignores.end(), [&](const script::LintIgnore& i) {
      return i.rule == finding.rule;
    });
    if (ignored) continue;
    auto level = levels.find(finding.rule);
    if (level != levels.end()) {
      if (!level->second) continue;
      finding.severity = *level->second;
    }
    kept.push_back(std::move(finding));
  }
  return kept;
}

}  // namespace schemagate::lint
