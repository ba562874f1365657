#pragma once

#include <string>
#include <utility>
#include <vector>

#include "lint/facts.h"
#include "sql/parse_tree.h"

/// Reading libpg_query's JSON parse tree: a node is `{"NodeType": {fields}}`.
namespace schemagate::lint::node {

using sql::ParseTree;

/// The member `key` of an object node; nullptr when `node` is not an object
/// or has no such member.
const ParseTree* member(const ParseTree& node, const std::string& key);
/// The string field `key` of `node`; empty when absent.
std::string text(const ParseTree& node, const std::string& key);
/// Whether the boolean field `key` is true.
bool flag(const ParseTree& node, const std::string& key);
/// The list field `key` (an array); an empty array when absent or not a list.
const ParseTree& list(const ParseTree& node, const std::string& key);
/// The type and fields of a wrapped node `{"Type": {...}}`; an empty type
/// for anything else.
std::pair<std::string, const ParseTree*> unwrap(const ParseTree& wrapped);
/// The fields of `wrapped` when it is a `type` node, else nullptr.
const ParseTree* as(const ParseTree& wrapped, const std::string& type);
/// The byte offset of the node's `location` field in its statement; -1 when absent.
int location(const ParseTree& node);
/// The integer field `key`; `absent` when there is none.
long integer(const ParseTree& node, const std::string& key, long absent);

/// A RangeVar's schema and name.
RelationName relation(const ParseTree& range_var);
/// A dotted name list (`[{"String": {"sval": "s"}}, ...]`) as a relation.
RelationName dotted_name(const ParseTree& names);

/// A TypeName's own name without the pg_catalog qualifier: "int4",
/// "varchar", "serial", "timestamptz".
std::string type_name(const ParseTree& type_name);
/// Whether the TypeName carries modifiers: varchar(100), numeric(10,2).
bool has_type_modifiers(const ParseTree& type_name);
/// The first modifier when it is an integer constant; -1 otherwise.
long first_type_modifier(const ParseTree& type_name);

/// The constraints of a ColumnDef, each as its Constraint fields.
std::vector<const ParseTree*> column_constraints(const ParseTree& column_def);

}  // namespace schemagate::lint::node
