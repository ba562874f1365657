#pragma once

#include <map>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "lint/facts.h"

namespace schemagate::lint {

/// Facts read from the live database's catalogs (never from its tables'
/// rows), each looked up once. Names resolve through the connection's
/// search_path, as the migration's statements will.
class DatabaseFacts : public Facts {
 public:
  explicit DatabaseFacts(pqxx::connection& connection);

  std::optional<int> server_version() const override;
  std::optional<TableFacts> table(const RelationName& table) const override;
  std::optional<std::string> column_type(const RelationName& table,
                                         const std::string& column) const override;
  bool has_not_null_check(const RelationName& table, const std::string& column) const override;
  std::optional<RelationName> index_table(const RelationName& index) const override;

 private:
  pqxx::connection& connection_;
  mutable std::map<std::string, TableFacts> tables_;
};

}  // namespace schemagate::lint
