#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

/// A database schema as PostgreSQL itself describes it: each definition is
/// the server's own text (format_type, pg_get_expr, pg_get_constraintdef,
/// pg_get_indexdef, pg_get_viewdef, pg_get_functiondef, pg_get_triggerdef),
/// so two catalogs are compared, and diffed, without re-implementing DDL.
/// Object names are kept unquoted; maps are keyed by "schema.name".
namespace schemagate::schema {

struct Column {
  std::string name;
  std::string type;                    ///< format_type, e.g. "character varying(100)"
  std::optional<std::string> default_value;  ///< pg_get_expr of the default
  bool not_null = false;
  std::string identity;                ///< "", "always" or "by default"
  std::string generated;               ///< a stored generated column's expression
  std::string collation;               ///< "" when the type's default
  std::optional<std::string> comment;
};

struct Constraint {
  std::string name;
  char type = 'c';          ///< pg_constraint.contype: p, u, f, c, x
  std::string definition;   ///< pg_get_constraintdef
};

struct Table {
  std::string schema;
  std::string name;
  std::vector<Column> columns;          ///< in attnum order
  std::vector<Constraint> constraints;  ///< by name
  std::optional<std::string> comment;

  const Column* column(const std::string& name) const;
};

struct Index {
  std::string schema;
  std::string name;
  std::string table;        ///< the table's name, in the same schema
  std::string definition;   ///< pg_get_indexdef
  std::optional<std::string> comment;
};

struct Sequence {
  std::string schema;
  std::string name;
  std::string type;
  int64_t start = 1;
  int64_t increment = 1;
  int64_t min = 1;
  int64_t max = 0;
  int64_t cache = 1;
  bool cycle = false;
  std::string owned_by;     ///< "table.column" for serial and identity columns, else ""
};

struct EnumType {
  std::string schema;
  std::string name;
  std::vector<std::string> values;  ///< in sort order
  std::optional<std::string> comment;
};

struct Domain {
  std::string schema;
  std::string name;
  std::string type;
  std::optional<std::string> default_value;
  bool not_null = false;
  std::vector<Constraint> constraints;
  std::optional<std::string> comment;
};

struct View {
  std::string schema;
  std::string name;
  bool materialized = false;
  std::string definition;   ///< pg_get_viewdef: the SELECT
  std::optional<std::string> comment;
  /// The view's OID, only to create views in the order they were created
  /// (a view on a view comes later); never compared.
  uint32_t creation_order = 0;
};

struct Routine {
  std::string schema;
  std::string name;
  std::string arguments;    ///< pg_get_function_identity_arguments
  bool procedure = false;
  std::string definition;   ///< pg_get_functiondef: a whole CREATE OR REPLACE
  std::optional<std::string> comment;
};

struct Trigger {
  std::string schema;       ///< the table's
  std::string table;
  std::string name;
  std::string definition;   ///< pg_get_triggerdef
};

struct Extension {
  std::string name;
  std::string schema;
};

struct Schema {
  std::string name;
  std::optional<std::string> comment;
};

/// Everything of one database that migrations own. System schemas, objects
/// of extensions and schemagate's own tables are left out.
struct Catalog {
  std::map<std::string, Schema> schemas;
  std::map<std::string, Extension> extensions;
  std::map<std::string, Table> tables;
  std::map<std::string, Index> indexes;  ///< not those that back a constraint
  std::map<std::string, Sequence> sequences;
  std::map<std::string, EnumType> enums;
  std::map<std::string, Domain> domains;
  std::map<std::string, View> views;
  std::map<std::string, Routine> routines;  ///< keyed "schema.name(arguments)"
  std::map<std::string, Trigger> triggers;  ///< keyed "schema.table.name"
};

/// "schema.name", the key of the maps above.
std::string key(const std::string& schema, const std::string& name);

}  // namespace schemagate::schema
