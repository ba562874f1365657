#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/facts.h"
#include "lint/linter.h"

namespace schemagate::testing {

/// An in-memory database for the rules: tables by name, with sizes.
class FakeFacts : public lint::Facts {
 public:
  std::optional<int> version;
  std::map<std::string, lint::TableFacts> tables;           ///< by name; others do not exist
  std::map<std::string, std::string> column_types;          ///< "table.column" -> type
  std::set<std::string> not_null_checks;                    ///< "table.column"
  std::map<std::string, std::string> index_tables;          ///< index -> table

  /// A table holding `rows` rows.
  FakeFacts& with_table(const std::string& name, int64_t rows) {
    tables[name] = lint::TableFacts{true, rows == 0 ? 0 : 8192 * (1 + rows / 100), rows};
    return *this;
  }

  std::optional<int> server_version() const override { return version; }
  std::optional<lint::TableFacts> table(const lint::RelationName& table) const override {
    auto found = tables.find(table.name);
    return found != tables.end() ? found->second : lint::TableFacts{};
  }
  std::optional<std::string> column_type(const lint::RelationName& table,
                                         const std::string& column) const override {
    auto found = column_types.find(table.name + "." + column);
    if (found == column_types.end()) return std::nullopt;
    return found->second;
  }
  bool has_not_null_check(const lint::RelationName& table,
                          const std::string& column) const override {
    return not_null_checks.count(table.name + "." + column) != 0;
  }
  std::optional<lint::RelationName> index_table(const lint::RelationName& index) const override {
    auto found = index_tables.find(index.name);
    if (found == index_tables.end()) return std::nullopt;
    return lint::RelationName{"", found->second};
  }
};

/// The findings of one body, starting at file line 1.
inline std::vector<lint::Finding> lint_sql(const std::string& sql, bool transactional = true,
                                           const lint::Facts& facts = lint::NoFacts(),
                                           lint::LintOptions options = {}) {
  return lint::lint_body({"v.sql", sql, 1, transactional}, facts, options);
}

/// The rule ids of those findings.
inline std::vector<std::string> rules_of(const std::vector<lint::Finding>& findings) {
  std::vector<std::string> rules;
  for (const lint::Finding& finding : findings) rules.push_back(finding.rule);
  return rules;
}

inline bool flags(const std::vector<lint::Finding>& findings, const std::string& rule) {
  for (const lint::Finding& finding : findings) {
    if (finding.rule == rule) return true;
  }
  return false;
}

}  // namespace schemagate::testing
