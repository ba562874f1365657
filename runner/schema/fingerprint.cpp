#include "schema/fingerprint.h"

#include <algorithm>

#include "schemagate/common/sha256.h"

namespace schemagate::schema {
namespace {

std::string comment_suffix(const std::optional<std::string>& comment) {
  return comment ? " COMMENT '" + *comment + "'" : "";
}

std::string describe_column(const Column& column) {
  std::string text = column.type;
  if (!column.collation.empty()) text += " COLLATE " + column.collation;
  if (column.not_null) text += " NOT NULL";
  if (column.default_value) text += " DEFAULT " + *column.default_value;
  if (!column.generated.empty()) text += " GENERATED ALWAYS AS (" + column.generated + ") STORED";
  if (!column.identity.empty()) text += " GENERATED " + column.identity + " AS IDENTITY";
  return text + comment_suffix(column.comment);
}

std::string describe_sequence(const Sequence& sequence) {
  std::string text = "AS " + sequence.type + " START " + std::to_string(sequence.start) +
                     " INCREMENT " + std::to_string(sequence.increment) + " MINVALUE " +
                     std::to_string(sequence.min) + " MAXVALUE " + std::to_string(sequence.max) +
                     " CACHE " + std::to_string(sequence.cache) +
                     (sequence.cycle ? " CYCLE" : " NO CYCLE");
  if (!sequence.owned_by.empty()) text += " OWNED BY " + sequence.owned_by;
  return text;
}

std::string describe_domain(const Domain& domain) {
  std::string text = domain.type;
  if (domain.default_value) text += " DEFAULT " + *domain.default_value;
  if (domain.not_null) text += " NOT NULL";
  for (const Constraint& constraint : domain.constraints) {
    text += " CONSTRAINT " + constraint.name + " " + constraint.definition;
  }
  return text + comment_suffix(domain.comment);
}

}  // namespace

Entries entries(const Catalog& catalog) {
  Entries out;
  for (const auto& [name, schema] : catalog.schemas) {
    out["schema " + name] = "SCHEMA" + comment_suffix(schema.comment);
  }
  for (const auto& [name, extension] : catalog.extensions) {
    out["extension " + name] = "SCHEMA " + extension.schema;
  }
  for (const auto& [name, table] : catalog.tables) {
    out["table " + name] = "TABLE" + comment_suffix(table.comment);
    for (const Column& column : table.columns) {
      out["column " + name + "." + column.name] = describe_column(column);
    }
    for (const Constraint& constraint : table.constraints) {
      out["constraint " + name + "." + constraint.name] = constraint.definition;
    }
  }
  for (const auto& [name, index] : catalog.indexes) {
    out["index " + name] = index.definition + comment_suffix(index.comment);
  }
  for (const auto& [name, sequence] : catalog.sequences) {
    out["sequence " + name] = describe_sequence(sequence);
  }
  for (const auto& [name, type] : catalog.enums) {
    std::string values;
    for (const std::string& value : type.values) {
      values += (values.empty() ? "'" : ", '") + value + "'";
    }
    out["enum " + name] = "ENUM (" + values + ")" + comment_suffix(type.comment);
  }
  for (const auto& [name, domain] : catalog.domains) out["domain " + name] = describe_domain(domain);
  for (const auto& [name, view] : catalog.views) {
    out[(view.materialized ? "materialized view " : "view ") + name] =
        view.definition + comment_suffix(view.comment);
  }
  for (const auto& [name, routine] : catalog.routines) {
    out[(routine.procedure ? "procedure " : "function ") + name] =
        routine.definition + comment_suffix(routine.comment);
  }
  for (const auto& [name, trigger] : catalog.triggers) out["trigger " + name] = trigger.definition;
  return out;
}

std::string fingerprint(const Catalog& catalog) {
  std::string text;
  for (const auto& [object, description] : entries(catalog)) {
    text += object + "\n" + description + "\n\n";
  }
  return sha256_hex(text);
}

std::vector<Difference> compare(const Catalog& expected, const Catalog& actual) {
  Entries left = entries(expected);
  Entries right = entries(actual);
  std::vector<Difference> differences;
  for (const auto& [object, description] : left) {
    auto found = right.find(object);
    if (found == right.end()) {
      differences.push_back({object, description, std::nullopt});
    } else if (found->second != description) {
      differences.push_back({object, description, found->second});
    }
  }
  for (const auto& [object, description] : right) {
    if (!left.count(object)) differences.push_back({object, std::nullopt, description});
  }
  std::sort(differences.begin(), differences.end(),
            [](const Difference& a, const Difference& b) { return a.object < b.object; });
  return differences;
}

std::string describe(const Difference& difference) {
  if (!difference.expected) return difference.object + " is left over (" + *difference.actual + ")";
  if (!difference.actual) return difference.object + " is missing (" + *difference.expected + ")";
  return difference.object + " differs: expected " + *difference.expected + ", found " +
         *difference.actual;
}

}  // namespace schemagate::schema
