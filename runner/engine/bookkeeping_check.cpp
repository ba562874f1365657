#include "engine/bookkeeping_check.h"

#include "engine/sql_text.h"
#include "sql/created_objects.h"
#include "sql/statement_splitter.h"

namespace schemagate::engine {
namespace {

constexpr const char* kAlembicVersion = "alembic_version";

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

Error refused(const std::string& message) { return Error(ErrorCode::kStateRefused, message); }

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

/// The object as the catalog lookups take it: a quoted, maybe qualified name.
std::string lookup_name(const sql::CreatedObject& object) {
  if (object.is_schema()) return object.name;
  return object.schema.empty() ? quote_identifier(object.name)
                               : qualified_name(object.schema, object.name);
}

/// The objects the plan's upgrades create that the database already has,
/// looked up in one query (a first run of a long history stays one round
/// trip longer, not one per object).
std::vector<ExistingObject> read_existing_objects(pqxx::nontransaction& query,
                                                  const VersionTables& tables,
                                                  const script::ScriptDirectory& scripts,
                                                  const script::Plan& plan) {
  std::vector<ExistingObject> created;
  std::string values;
  for (const script::Step& step : plan.steps) {
    if (step.direction != script::Direction::kUp) continue;
    const script::Migration& migration = scripts.migration(step.revision);
    for (const sql::Statement& statement :
         sql::split_statements(migration.up.sql, migration.up.first_line)) {
      for (const sql::CreatedObject& object : sql::created_objects(statement.sql)) {
        values += (values.empty() ? "(" : ", (") + std::to_string(created.size()) + ", " +
                  quote_literal(object.is_schema() ? "schema"
                                                   : object.is_type() ? "type" : "relation") +
                  ", " + quote_literal(lookup_name(object)) + ")";
        created.push_back({object.kind, object.display(), migration.revision.id,
                           migration.path + ":" + std::to_string(statement.line)});
      }
    }
  }
  std::vector<ExistingObject> existing;
  if (created.empty()) return existing;
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
    existing.push_back(created[row[0].as<size_t>()]);
  }
  return existing;
}

}  // namespace

bool shares_alembic_version(const VersionTables& tables) {
  return tables.version_table == kAlembicVersion;
}

Status judge_bookkeeping(const BookkeepingFacts& facts) {
  const VersionTables& tables = facts.tables;
  if (!facts.version_rows.empty() && !facts.history_table_exists &&
      !shares_alembic_version(tables)) {
    std::string stamps;
    for (const std::string& row : facts.version_rows) {
      stamps += (stamps.empty() ? "`" : " and `") + std::string("schemagate stamp ") + row + "`";
    }
    return refused("the version table " + tables.version() + " holds revision(s) " +
                   joined(facts.version_rows) + " but the history table " + tables.history() +
                   " is missing (dropped by hand, or restored from a partial dump?), so nothing "
                   "records what ran and whether it failed halfway; nothing was run. If the rows "
                   "are right, " + stamps +
                   " recreates the history table and records them; otherwise restore both "
                   "tables from the same backup");
  }
  if (!facts.version_table_exists && facts.history_rows > 0) {
    return refused("the history table " + tables.history() + " records " +
                   std::to_string(facts.history_rows) + " migration run(s) but the version "
                   "table " + tables.version() +
                   " is missing, so nothing says which revision the database is at; nothing was "
                   "run. Restore the table, or `schemagate stamp REV` with the revision the "
                   "schema is at (`schemagate history` lists them)");
  }
  if (!facts.version_rows.empty() || facts.history_rows > 0) return {};
  if (!facts.foreign.empty()) {
    const ForeignTable& table = facts.foreign.front();
    std::string message = "this database was migrated by " + table.tool + " (its table " +
                          table.table + " records " + table.rows +
                          ") and schemagate has no record of it: running the migrations would "
                          "apply them a second time; nothing was run. Adopt it, running nothing: "
                          "`schemagate import --from " + table.format +
                          " DIR --adopt-database` imports its history and records what is "
                          "applied; if the revisions are imported already, `schemagate stamp "
                          "REV` records the one the database is at";
    if (table.format == "alembic") {
      message += "; or share Alembic's table (version_table: alembic_version in "
                 "schemagate.yaml) so both tools read one state";
    }
    return refused(message);
  }
  if (!facts.existing.empty()) {
    std::string found;
    for (const ExistingObject& object : facts.existing) {
      if (!found.empty()) found += "; ";
      found += object.kind + " " + object.name + " (created by revision " + object.revision +
               " at " + object.where + ")";
      if (found.size() > 600) break;
    }
    return refused("the database already holds objects these migrations create, and schemagate "
                   "has no record of migrating it: " + found +
                   ". It was migrated by another tool or by hand; running the migrations could "
                   "apply them a second time, so nothing was run. Adopt it, running nothing: "
                   "`schemagate stamp REV` with the revision the schema is at, or `schemagate "
                   "import --from FORMAT DIR --adopt-database` for another tool's history; or "
                   "drop the objects if they are leftovers");
  }
  return {};
}

Status check_bookkeeping(pqxx::connection& connection, VersionStore& store,
                         const script::ScriptDirectory& scripts, const script::Plan& plan) {
  BookkeepingFacts facts;
  facts.tables = store.tables();
  facts.version_table_exists = store.version_table_exists();
  facts.history_table_exists = store.history_table_exists();
  facts.version_rows = store.heads();
  if (facts.version_table_exists && facts.history_table_exists && !facts.version_rows.empty()) {
    return {};  // the usual run: nothing more to read
  }
  facts.history_rows = store.history_rows();
  if (facts.version_rows.empty() && facts.history_rows == 0) {
    pqxx::nontransaction query(connection);
    facts.foreign = read_foreign_tables(query, facts.tables);
    if (facts.foreign.empty()) facts.existing = read_existing_objects(query, facts.tables, scripts, plan);
  }
  return judge_bookkeeping(facts);
}

}  // namespace schemagate::engine
