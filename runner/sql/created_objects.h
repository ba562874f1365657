#pragma once

#include <string>
#include <vector>

namespace schemagate::sql {

/// A named object a statement creates, as written: what a database that
/// already holds it tells about a migration being applied twice.
struct CreatedObject {
  std::string kind;    ///< table, view, materialized view, sequence, index, type, schema
  std::string schema;  ///< empty: unqualified (found through the search_path)
  std::string name;
  bool is_type() const { return kind == "type"; }
  bool is_schema() const { return kind == "schema"; }
  /// `schema.name` or `name`, for messages.
  std::string display() const { return schema.empty() ? name : schema + "." + name; }
};

/// The objects one statement (as split_statements returns it) creates, from
/// PostgreSQL's parse tree: CREATE TABLE / TABLE AS / VIEW / MATERIALIZED
/// VIEW / SEQUENCE / INDEX / TYPE / DOMAIN / SCHEMA, with or without IF NOT
/// EXISTS; left out are temporary tables, unnamed indexes, CREATE SCHEMA IF
/// NOT EXISTS (which expects to find it), and CREATE OR REPLACE views and
/// functions, which repeat harmlessly. A statement the parser rejects
/// creates nothing here.
std::vector<CreatedObject> created_objects(const std::string& statement);

}  // namespace schemagate::sql
