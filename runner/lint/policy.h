#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "lint/finding.h"
#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::lint {

/// The project's rule levels (schemagate.yaml `lint.rules`): a severity, or
/// nothing for a rule turned off. Rules it does not name keep their default.
using RuleLevels = std::map<std::string, std::optional<Severity>>;

/// Checks the settings against the rules: an unknown rule id is exit 2,
/// naming the file and line.
Result<RuleLevels> rule_levels(const std::map<std::string, config::LintRuleSetting>& settings);

/// Checks a revision's `-- schemagate:lint-ignore` lines: an unknown rule id
/// is exit 2, naming the file and line.
Status check_ignores(const script::Migration& migration);

/// The findings that remain once the revision's ignores and the project's
/// levels apply, with their final severity.
std::vector<Finding> apply_policy(std::vector<Finding> findings, const RuleLevels& levels,
                                  const std::vector<script::LintIgnore>& ignores);

}  // namespace schemagate::lint
