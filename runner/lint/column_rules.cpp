// CREATE TABLE, and the column rules ADD COLUMN shares with it.
#include <algorithm>

#include "lint/check_context.h"
#include "lint/parse_node.h"

namespace schemagate::lint {
namespace {

using sql::ParseTree;

bool is_one_of(const std::string& name, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return name == n; });
}

bool is_serial(const std::string& type) {
  return is_one_of(type, {"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"});
}

bool has_constraint(const ParseTree& column_def, const char* contype) {
  for (const ParseTree* constraint : node::column_constraints(column_def)) {
    if (node::text(*constraint, "contype") == contype) return true;
  }
  return false;
}

/// The columns of a table-level PRIMARY KEY (a, b).
std::vector<std::string> primary_key_columns(const ParseTree& create) {
  std::vector<std::string> columns;
  for (const ParseTree& element : node::list(create, "tableElts")) {
    const ParseTree* constraint = node::as(element, "Constraint");
    if (constraint == nullptr || node::text(*constraint, "contype") != "CONSTR_PRIMARY") continue;
    for (const ParseTree& key : node::list(*constraint, "keys")) {
      const ParseTree* name = node::as(key, "String");
      if (name != nullptr) columns.push_back(node::text(*name, "sval"));
    }
  }
  return columns;
}

}  // namespace

void check_column_type(CheckContext& context, const ParseTree& column_def, bool key) {
  const ParseTree* type_node = node::member(column_def, "typeName");
  if (type_node == nullptr) return;
  const std::string column = node::text(column_def, "colname");
  const std::string type = node::type_name(*type_node);
  const int at = node::location(*type_node);
  if (type == "bpchar") {
    context.report("ban-char-field", "column " + column + " is char(n): it pads with blanks", {},
                   at);
  }
  if (type == "varchar" && node::has_type_modifiers(*type_node)) {
    context.report("prefer-text-field",
                   "column " + column + " is varchar(" +
                       std::to_string(node::first_type_modifier(*type_node)) +
                       "): changing the limit later locks the table",
                   {}, at);
  }
  if (type == "timestamp") {
    context.report("prefer-timestamptz",
                   "column " + column + " is timestamp without time zone", {}, at);
  }
  if (is_serial(type)) {
    context.report("prefer-identity", "column " + column + " is " + type, {}, at);
  }
  bool identity = has_constraint(column_def, "CONSTR_IDENTITY");
  key = key || identity || is_serial(type) || has_constraint(column_def, "CONSTR_PRIMARY");
  if (!key) return;
  if (is_one_of(type, {"int4", "serial", "serial4"})) {
    context.report("prefer-bigint-over-int",
                   "key column " + column + " is a 32-bit " + type +
                       ": it runs out at 2,147,483,647, and widening it then rewrites the table",
                   {}, at);
  } else if (is_one_of(type, {"int2", "smallserial", "serial2"})) {
    context.report("prefer-bigint-over-smallint",
                   "key column " + column + " is a 16-bit " + type + ": it runs out at 32,767",
                   {}, at);
  }
}

void check_create_table(CheckContext& context, const ParseTree& create) {
  const ParseTree* relation = node::member(create, "relation");
  if (relation == nullptr) return;
  context.state().created_tables.insert(node::relation(*relation).name);
  std::vector<std::string> keys = primary_key_columns(create);
  for (const ParseTree& element : node::list(create, "tableElts")) {
    if (const ParseTree* column = node::as(element, "ColumnDef")) {
      std::string name = node::text(*column, "colname");
      check_column_type(context, *column,
                        std::find(keys.begin(), keys.end(), name) != keys.end());
      // REFERENCES locks the referenced table against writes for a moment.
      for (const ParseTree* constraint : node::column_constraints(*column)) {
        const ParseTree* referenced = node::member(*constraint, "pktable");
        if (referenced != nullptr) {
          context.takes(LockMode::kShareRowExclusive, node::relation(*referenced));
        }
      }
    } else if (const ParseTree* constraint = node::as(element, "Constraint")) {
      const ParseTree* referenced = node::member(*constraint, "pktable");
      if (referenced != nullptr) {
        context.takes(LockMode::kShareRowExclusive, node::relation(*referenced));
      }
    }
  }
}

}  // namespace schemagate::lint
