#include "sqlite/lint_rules.h"

#include <algorithm>

#include "lint/rule_catalog.h"

namespace schemagate::sqlite {

const std::vector<std::string>& sqlite_lint_rules() {
  static const std::vector<std::string> rules = {
      "adding-required-field", "ban-drop-column", "ban-drop-table",
      "renaming-column",       "renaming-table",  "transaction-nesting"};
  return rules;
}

config::Config for_sqlite_lint(config::Config config) {
  const std::vector<std::string>& kept = sqlite_lint_rules();
  for (const lint::Rule& rule : lint::rule_catalog()) {
    if (std::find(kept.begin(), kept.end(), rule.id) != kept.end()) continue;
    config.lint_rules[rule.id] = config::LintRuleSetting{"off", "SQLite"};
  }
  return config;
}

}  // namespace schemagate::sqlite
