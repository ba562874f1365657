#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lint/facts.h"
#include "sql/json_value.h"

/// Reading libpg_query's JSON parse tree: a node is `{"NodeType": {fields}}`.
namespace schemagate::lint::node {

using sql::JsonValue;

/// The string field `key` of `node`; empty when absent.
std::string text(const JsonValue& node, const std::string& key);
/// Whether the boolean field `key` is true.
bool flag(const JsonValue& node, const std::string& key);
/// The items of the list field `key`; empty when absent.
const JsonValue::Array& list(const JsonValue& node, const std::string& key);
/// The type and fields of a wrapped node `{"Type": {...}}`; an empty type
/// for anything else.
std::pair<std::string, const JsonValue*> unwrap(const JsonValue& wrapped);
/// The fields of `wrapped` when it is a `type` node, else nullptr.
const JsonValue* as(const JsonValue& wrapped, const std::string& type);
/// The byte offset of the node's `location` field in its statement; -1 when absent.
int location(const JsonValue& node);

/// A RangeVar's schema and name.
RelationName relation(const JsonValue& range_var);
/// A dotted name list (`[{"String": {"sval": "s"}}, ...]`) as a relation.
RelationName dotted_name(const JsonValue::Array& names);

/// A TypeName's own name without the pg_catalog qualifier: "int4",
/// "varchar", "serial", "timestamptz".
std::string type_name(const JsonValue& type_name);
/// Whether the TypeName carries modifiers: varchar(100), numeric(10,2).
bool has_type_modifiers(const JsonValue& type_name);
/// The first modifier when it is an integer constant; -1 otherwise.
long first_type_modifier(const JsonValue& type_name);

/// The constraints of a ColumnDef, each as its Constraint fields.
std::vector<const JsonValue*> column_constraints(const JsonValue& column_def);

}  // namespace schemagate::lint::node
