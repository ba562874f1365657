#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace schemagate::lint {

/// A table (or index) name as a statement writes it; `schema` is empty when
/// the statement leaves it to the search_path.
struct RelationName {
  std::string schema;
  std::string name;

  /// `schema.name`, or `name` alone.
  std::string text() const { return schema.empty() ? name : schema + "." + name; }
};

/// What the live database says of a table.
struct TableFacts {
  bool exists = false;
  int64_t bytes = 0;            ///< heap size on disk; 0 means it never held a row
  std::optional<int64_t> rows;  ///< the planner's estimate; nothing before its first ANALYZE
};

/// What the rules may ask the database. Every answer may be "not known"
/// (no --database-url): the rules then assume the worst of an existing table
/// and a supported server (PostgreSQL 11 or newer).
class Facts {
 public:
  virtual ~Facts() = default;

  /// server_version_num (150004 for 15.4).
  virtual std::optional<int> server_version() const = 0;
  virtual std::optional<TableFacts> table(const RelationName& table) const = 0;
  /// The column's type as format_type prints it ("character varying(100)").
  virtual std::optional<std::string> column_type(const RelationName& table,
                                                 const std::string& column) const = 0;
  /// Whether a validated CHECK (column IS NOT NULL) constraint exists, which
  /// lets SET NOT NULL skip its scan (PostgreSQL 12 and newer).
  virtual bool has_not_null_check(const RelationName& table, const std::string& column) const = 0;
  /// The table an index belongs to.
  virtual std::optional<RelationName> index_table(const RelationName& index) const = 0;
};

/// Facts without a database: nothing is known.
class NoFacts : public Facts {
 public:
  std::optional<int> server_version() const override { return std::nullopt; }
  std::optional<TableFacts> table(const RelationName&) const override { return std::nullopt; }
  std::optional<std::string> column_type(const RelationName&, const std::string&) const override {
    return std::nullopt;
  }
  bool has_not_null_check(const RelationName&, const std::string&) const override { return false; }
  std::optional<RelationName> index_table(const RelationName&) const override {
    return std::nullopt;
  }
};

}  // namespace schemagate::lint
