#include "schema/schema_comparison.h"

namespace schemagate::schema {

SchemaGap gap_between(const Catalog& from, const Catalog& to) {
  SchemaGap gap;
  Changes changes = diff(from, to);
  gap.up = changes.statements;
  gap.concurrent = changes.concurrent_indexes;
  Catalog between = without_concurrent_indexes(from, to);
  gap.down = diff(between, from, DiffOptions{false}).statements;
  for (const auto& [key, index] : to.indexes) {
    if (between.indexes.count(key)) continue;
    gap.concurrent_down.push_back(
        {"DROP INDEX CONCURRENTLY IF EXISTS " + qualified(index.schema, index.name) + ";", ""});
  }
  return gap;
}

std::string render(const std::vector<Statement>& statements) {
  std::string text;
  for (const Statement& statement : statements) {
    if (!statement.warning.empty()) text += "-- destructive: " + statement.warning + "\n";
    text += statement.sql + "\n";
  }
  return text;
}

std::vector<std::string> warnings(const std::vector<Statement>& statements) {
  std::vector<std::string> out;
  for (const Statement& statement : statements) {
    if (!statement.warning.empty()) out.push_back(statement.warning);
  }
  return out;
}

}  // namespace schemagate::schema
