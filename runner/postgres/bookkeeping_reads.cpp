#include "postgres/bookkeeping_reads.h"

#include "engine/bookkeeping_check.h"
#include "engine/sql_text.h"

namespace schemagate::postgres {

using engine::qualified_name;
using engine::quote_identifier;
using engine::quote_literal;

namespace {

using engine::ForeignTable;
using engine::VersionTables;
using engine::quote_identifier;
using engine::quote_literal;
using engine::qualified_name;
using engine::shares_alembic_version;

constexpr const char* kAlembicVersion = "alembic_version";

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

/// The object as the catalog lookups take it: a quoted, maybe qualified name.
std::string lookup_name(const sql::CreatedObject& object) {
  if (object.is_schema()) return object.name;
  return object.schema.empty() ? quote_identifier(object.name)
                               : qualified_name(object.schema, object.name);
}

}  // namespace

/// The other tools' tables, found as the tools find them: through the
/// search_path. Only a table recording something counts: an empty one
/// migrated nothing.
std::vector<ForeignTable> read_foreign_tables(pqxx::nontransaction& query,
                                              const VersionTables& tables) {
  std::vector<ForeignTable> found;
  auto exists = [&](const std::string& name) {
    return query.exec_params1("SELECT to_regclass($1) IS NOT NULL", name)[0].as<bool>();
  };
  auto count = [&](const std::string& sql) { return query.exec1(sql)[0].as<int64_t>(); };
  auto rows = [](int64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); };
  if (!shares_alembic_version(tables) && exists(kAlembicVersion)) {
    std::vector<std::string> revisions;
    for (const auto& row : query.exec("SELECT version_num::text FROM alembic_version ORDER BY 1")) {
      revisions.push_back(row[0].as<std::string>());
    }
    if (!revisions.empty()) {
      found.push_back({"Alembic", kAlembicVersion, "alembic", "revision(s) " + joined(revisions)});
    }
  }
  if (exists("schema_migrations")) {
    // golang-migrate's table has a dirty flag; dbmate's has a version only.
    bool golang = query.exec1("SELECT count(*) > 0 FROM pg_attribute WHERE attrelid = "
                              "'schema_migrations'::regclass AND attname = 'dirty' AND NOT "
                              "attisdropped")[0]
                      .as<bool>();
    int64_t n = count("SELECT count(*) FROM schema_migrations");
    if (n > 0) {
      found.push_back({golang ? "golang-migrate" : "dbmate", "schema_migrations",
                       golang ? "golang-migrate" : "dbmate", rows(n)});
    }
  }
  if (exists("flyway_schema_history")) {
    int64_t n = count("SELECT count(*) FROM flyway_schema_history WHERE type <> 'SCHEMA'");
    if (n > 0) found.push_back({"Flyway", "flyway_schema_history", "flyway", rows(n)});
  }
  if (exists("__diesel_schema_migrations")) {
    int64_t n = count("SELECT count(*) FROM __diesel_schema_migrations");
    if (n > 0) found.push_back({"diesel", "__diesel_schema_migrations", "diesel", rows(n)});
  }
  return found;
}

/// The objects the plan's upgrades create that the database already has,
/// looked up in one query (a first run of a long history stays one round
/// trip longer, not one per object).
std::vector<size_t> read_existing_objects(pqxx::nontransaction& query, const VersionTables& tables,
                                          const std::vector<sql::CreatedObject>& objects) {
  std::vector<size_t> existing;
  if (objects.empty()) return existing;
  std::string values;
  for (size_t position = 0; position < objects.size(); ++position) {
    const sql::CreatedObject& object = objects[position];
    values += (values.empty() ? "(" : ", (") + std::to_string(position) + ", " +
              quote_literal(object.is_schema() ? "schema" : object.is_type() ? "type" : "relation") +
              ", " + quote_literal(lookup_name(object)) + ")";
  }
  // A schema counts when it holds something: a schema a DBA made for the
  // application is empty in a database no migration touched.
  std::string holds_something =
      "EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
      "n.nspname = o.name AND c.relname NOT IN (" +
      quote_literal(tables.version_table) + ", " + quote_literal(tables.history_table) + ", " +
      quote_literal(tables.version_table + "_lease") +
      ") AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND "
      "d.objid = c.oid AND d.deptype = 'e'))";
  for (const auto& row : query.exec(
           "SELECT o.position FROM (VALUES " + values + ") AS o(position, kind, name) WHERE CASE "
           "o.kind WHEN 'schema' THEN " + holds_something +
           " WHEN 'type' THEN to_regtype(o.name) IS NOT NULL ELSE to_regclass(o.name) IS NOT NULL "
           "END ORDER BY o.position")) {
    existing.push_back(row[0].as<size_t>());
  }
  return existing;
}

}  // namespace schemagate::postgres
