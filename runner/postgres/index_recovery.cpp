#include "postgres/index_recovery.h"

#include <optional>

#include "engine/sql_text.h"
#include "schemagate/common/logging.h"

namespace schemagate::postgres {

using engine::quote_literal;

namespace {

struct FoundIndex {
  std::string qualified;  ///< "schema"."name"
  bool valid = false;
  std::string definition;  ///< pg_get_indexdef
};

/// The index named as `index` in its table's schema, if any.
std::optional<FoundIndex> find_index(pqxx::connection& connection, const ConcurrentIndex& index) {
  pqxx::nontransaction query(connection);
  pqxx::result rows = query.exec(
      "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), i.indisvalid, "
      "pg_get_indexdef(i.indexrelid) FROM pg_class t "
      "JOIN pg_class c ON c.relnamespace = t.relnamespace AND c.relname = " +
      quote_literal(index.name) +
      " JOIN pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_index i ON i.indexrelid = c.oid "
      "WHERE t.oid = to_regclass(" + quote_literal(index.table) + ")");
  if (rows.empty()) return std::nullopt;
  return FoundIndex{rows[0][0].as<std::string>(), rows[0][1].as<bool>(),
                    rows[0][2].as<std::string>()};
}

}  // namespace

Result<IndexBefore> prepare_concurrent_index(pqxx::connection& connection,
                                             const ConcurrentIndex& index,
                                             const std::string& where) {
  std::optional<FoundIndex> found = find_index(connection, index);
  if (!found) return IndexBefore::kAbsent;
  if (!found->valid) {
    log::warn("dropping the INVALID index an interrupted CREATE INDEX CONCURRENTLY left, to "
              "build it again",
              {{"index", found->qualified}, {"at", where}});
    pqxx::nontransaction drop(connection);
    drop.exec("DROP INDEX CONCURRENTLY IF EXISTS " + found->qualified);
    return IndexBefore::kLeftoverDropped;
  }
  if (engine::index_definition(found->definition) == index.definition) {
    log::info("the index is already built, valid and as the migration defines it; not building "
              "it again",
              {{"index", found->qualified}, {"at", where}});
    return IndexBefore::kAlreadyBuilt;
  }
  return Error(ErrorCode::kMigrationFailed,
               where + ": index " + found->qualified + " already exists with another definition (" +
                   found->definition +
                   "). Rename the migration's index, or drop the existing one "
                   "(DROP INDEX CONCURRENTLY " + found->qualified + ") and run upgrade again");
}

Status check_index_valid(pqxx::connection& connection, const ConcurrentIndex& index,
                         const std::string& where) {
  std::optional<FoundIndex> found = find_index(connection, index);
  if (found && found->valid) return {};
  std::string what = found ? "index " + found->qualified + " is INVALID" : "index " + index.name +
                                                                              " does not exist";
  return Error(ErrorCode::kMigrationFailed,
               where + ": CREATE INDEX CONCURRENTLY finished but " + what +
                   " (pg_index.indisvalid): queries do not use it, and pg_dump leaves it out. "
                   "Run `schemagate upgrade` again: it drops the invalid index and builds it "
                   "anew");
}

}  // namespace schemagate::postgres
