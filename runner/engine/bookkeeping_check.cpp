#include "engine/bookkeeping_check.h"

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

/// The objects the plan's upgrades create that the database already has,
/// looked up at once (a first run of a long history stays one round trip
/// longer, not one per object).
std::vector<ExistingObject> existing_objects(Database& database,
                                             const script::ScriptDirectory& scripts,
                                             const script::Plan& plan) {
  std::vector<sql::CreatedObject> objects;
  std::vector<ExistingObject> created;
  for (const script::Step& step : plan.steps) {
    if (step.direction != script::Direction::kUp) continue;
    const script::Migration& migration = scripts.migration(step.revision);
    for (const sql::Statement& statement :
         sql::split_statements(migration.up.sql, migration.up.first_line)) {
      for (const sql::CreatedObject& object : sql::created_objects(statement.sql)) {
        objects.push_back(object);
        created.push_back({object.kind, object.display(), migration.revision.id,
                           migration.path + ":" + std::to_string(statement.line)});
      }
    }
  }
  std::vector<ExistingObject> existing;
  for (size_t position : database.existing_objects(objects)) existing.push_back(created[position]);
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

Status check_bookkeeping(Database& database, const StoredState& state,
                         const script::ScriptDirectory& scripts, const script::Plan& plan) {
  BookkeepingFacts facts;
  facts.tables = database.tables();
  facts.version_table_exists = state.version_table_exists;
  facts.history_table_exists = state.history_table_exists;
  facts.version_rows = state.version_rows;
  facts.history_rows = state.history_rows;
  if (facts.version_rows.empty() && facts.history_rows == 0) {
    facts.foreign = database.foreign_tables();
    if (facts.foreign.empty()) facts.existing = existing_objects(database, scripts, plan);
  }
  return judge_bookkeeping(facts);
}

}  // namespace schemagate::engine
