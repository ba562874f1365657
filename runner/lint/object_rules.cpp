// Drops, renames, TRUNCATE, domains, and the session's lock_timeout.
#include <cstdlib>

#include "lint/check_context.h"
#include "lint/parse_node.h"

namespace schemagate::lint {
namespace {

using sql::ParseTree;

std::vector<RelationName> dropped_names(const ParseTree& drop) {
  std::vector<RelationName> names;
  for (const ParseTree& object : node::list(drop, "objects")) {
    const ParseTree* items = node::as(object, "List");
    if (items != nullptr) names.push_back(node::dotted_name(node::list(*items, "items")));
  }
  return names;
}

void drop_index(CheckContext& context, const ParseTree& drop, const RelationName& index) {
  if (context.state().created_indexes.count(index.name) != 0) return;
  if (node::flag(drop, "concurrent")) return;
  std::optional<RelationName> table = context.facts().index_table(index);
  if (table && !context.lock_matters(*table)) return;
  RelationName locked = table.value_or(index);
  context.takes(LockMode::kAccessExclusive, locked);
  context.report("require-concurrent-index-deletion",
                 "DROP INDEX " + index.text() + " takes ACCESS EXCLUSIVE on " +
                     (table ? table->text() : std::string("its table")),
                 context.impact(LockMode::kAccessExclusive, locked, LockDuration::kInstant));
}

void drop_table(CheckContext& context, const RelationName& table) {
  if (context.state().created_tables.count(table.name) != 0) return;
  context.takes(LockMode::kAccessExclusive, table);
  if (context.table_state(table) == TableState::kNew) return;
  context.report("ban-drop-table",
                 "DROP TABLE " + table.text() + ": pods of the previous release still use it",
                 context.impact(LockMode::kAccessExclusive, table, LockDuration::kInstant));
}

/// Whether a SET lock_timeout value turns the timeout off (0, '0', '0s').
bool is_zero(const ParseTree& value) {
  const ParseTree* constant = node::as(value, "A_Const");
  if (constant == nullptr) return false;
  if (const ParseTree* integer = node::member(*constant, "ival")) {
    const ParseTree* digits = node::member(*integer, "ival");
    return digits == nullptr || (digits->is_number_integer() && digits->get<long>() == 0);
  }
  if (const ParseTree* text = node::member(*constant, "sval")) {
    std::string value = node::text(*text, "sval");
    return !value.empty() && std::strtod(value.c_str(), nullptr) == 0.0;
  }
  return false;
}

}  // namespace

void check_drop(CheckContext& context, const ParseTree& drop) {
  const std::string type = node::text(drop, "removeType");
  for (const RelationName& name : dropped_names(drop)) {
    if (type == "OBJECT_INDEX") drop_index(context, drop, name);
    if (type == "OBJECT_TABLE") drop_table(context, name);
  }
}

void check_drop_database(CheckContext& context, const ParseTree& drop) {
  context.report("ban-drop-database", "DROP DATABASE " + node::text(drop, "dbname"));
}

void check_rename(CheckContext& context, const ParseTree& rename) {
  const std::string type = node::text(rename, "renameType");
  const ParseTree* relation = node::member(rename, "relation");
  if (relation == nullptr || (type != "OBJECT_COLUMN" && type != "OBJECT_TABLE")) return;
  RelationName table = node::relation(*relation);
  context.takes(LockMode::kAccessExclusive, table);
  if (context.table_state(table) == TableState::kNew) return;
  const std::string new_name = node::text(rename, "newname");
  LockImpact lock =
      context.impact(LockMode::kAccessExclusive, table, LockDuration::kInstant);
  if (type == "OBJECT_COLUMN") {
    context.report("renaming-column",
                   "RENAME COLUMN " + node::text(rename, "subname") + " TO " + new_name +
                       ": pods of the previous release still use the old name",
                   lock);
  } else {
    context.report("renaming-table", "RENAME " + table.text() + " TO " + new_name +
                                         ": pods of the previous release still use the old name",
                   lock);
  }
}

void check_truncate(CheckContext& context, const ParseTree& truncate) {
  for (const ParseTree& raw : node::list(truncate, "relations")) {
    if (const ParseTree* relation = node::as(raw, "RangeVar")) {
      context.takes(LockMode::kAccessExclusive, node::relation(*relation));
    }
  }
  if (node::text(truncate, "behavior") == "DROP_CASCADE") {
    context.report("ban-truncate-cascade",
                   "TRUNCATE ... CASCADE also empties every table that references these");
  }
}

void check_create_domain(CheckContext& context, const ParseTree& domain) {
  for (const ParseTree& raw : node::list(domain, "constraints")) {
    const ParseTree* constraint = node::as(raw, "Constraint");
    if (constraint != nullptr && node::text(*constraint, "contype") == "CONSTR_CHECK") {
      context.report("ban-create-domain-with-constraint",
                     "CREATE DOMAIN " + node::dotted_name(node::list(domain, "domainname")).text() +
                         " with a CHECK constraint");
      return;
    }
  }
}

void check_alter_domain(CheckContext& context, const ParseTree& domain) {
  if (node::text(domain, "subtype") != "C") return;  // ADD CONSTRAINT
  const ParseTree* def = node::member(domain, "def");
  const ParseTree* constraint = def != nullptr ? node::as(*def, "Constraint") : nullptr;
  if (constraint == nullptr || node::flag(*constraint, "skip_validation")) return;
  context.report("ban-alter-domain-with-add-constraint",
                 "ALTER DOMAIN " + node::dotted_name(node::list(domain, "typeName")).text() +
                     " ADD CONSTRAINT checks every column of the domain in every table");
}

void check_variable_set(CheckContext& context, const ParseTree& set) {
  const std::string kind = node::text(set, "kind");
  if (kind == "VAR_RESET_ALL") {
    context.state().lock_timeout_on = false;
    return;
  }
  if (node::text(set, "name") != "lock_timeout") return;
  const ParseTree& arguments = node::list(set, "args");
  if (kind == "VAR_SET_VALUE" && !arguments.empty()) {
    context.state().lock_timeout_on = !is_zero(arguments.front());
  } else if (kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET") {
    // The server's default, not the runner's: lock_timeout is 0 unless the
    // server or role configures one.
    context.state().lock_timeout_on = false;
  }
}

}  // namespace schemagate::lint
