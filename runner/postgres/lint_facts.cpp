#include "postgres/lint_facts.h"

namespace schemagate::lint {
namespace {

// The relation a statement's name means, as the server resolves it; the
// parser has already folded unquoted names to lower case.
constexpr const char* kRegclass =
    "to_regclass(CASE WHEN $1 = '' THEN quote_ident($2) "
    "ELSE quote_ident($1) || '.' || quote_ident($2) END)";

}  // namespace

DatabaseFacts::DatabaseFacts(pqxx::connection& connection) : connection_(connection) {}

std::optional<int> DatabaseFacts::server_version() const { return connection_.server_version(); }

std::optional<TableFacts> DatabaseFacts::table(const RelationName& table) const {
  auto cached = tables_.find(table.text());
  if (cached != tables_.end()) return cached->second;
  pqxx::read_transaction tx(connection_);
  // A partitioned table holds no rows itself: its partitions' sizes count.
  pqxx::result rows = tx.exec_params(
      std::string("SELECT pg_relation_size(c.oid) + coalesce((SELECT sum(pg_relation_size("
                  "i.inhrelid)) FROM pg_inherits i WHERE i.inhparent = c.oid), 0), "
                  "c.reltuples FROM pg_class c WHERE c.oid = ") +
          kRegclass + " AND c.relkind IN ('r', 'p', 'm')",
      table.schema, table.name);
  TableFacts facts;
  if (!rows.empty()) {
    facts.exists = true;
    facts.bytes = rows[0][0].as<int64_t>();
    double tuples = rows[0][1].as<double>();
    if (tuples >= 0) facts.rows = static_cast<int64_t>(tuples);
  }
  tables_.emplace(table.text(), facts);
  return facts;
}

std::optional<std::string> DatabaseFacts::column_type(const RelationName& table,
                                                      const std::string& column) const {
  pqxx::read_transaction tx(connection_);
  pqxx::result rows = tx.exec_params(
      std::string("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                  "WHERE a.attrelid = ") +
          kRegclass + " AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped",
      table.schema, table.name, column);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

bool DatabaseFacts::has_not_null_check(const RelationName& table,
                                       const std::string& column) const {
  pqxx::read_transaction tx(connection_);
  pqxx::result rows = tx.exec_params(
      std::string("SELECT 1 FROM pg_constraint WHERE conrelid = ") + kRegclass +
          " AND contype = 'c' AND convalidated AND pg_get_constraintdef(oid) = "
          "'CHECK ((' || quote_ident($3) || ' IS NOT NULL))'",
      table.schema, table.name, column);
  return !rows.empty();
}

std::optional<RelationName> DatabaseFacts::index_table(const RelationName& index) const {
  pqxx::read_transaction tx(connection_);
  pqxx::result rows = tx.exec_params(
      std::string("SELECT n.nspname, c.relname FROM pg_index i "
                  "JOIN pg_class c ON c.oid = i.indrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indexrelid = ") +
          kRegclass,
      index.schema, index.name);
  if (rows.empty()) return std::nullopt;
  return RelationName{rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

}  // namespace schemagate::lint
