#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/database.h"
#include "schemagate/common/result.h"
#include "script/planner.h"
#include "script/script_directory.h"

namespace schemagate::engine {

// Before an upgrade (or `check`) trusts the version rows, it makes sure they
// are the whole story: a database whose bookkeeping is missing, half there,
// or kept by another tool would otherwise look unmigrated, and every
// migration would run a second time.

/// An object the plan creates that the database already holds.
struct ExistingObject {
  std::string kind;      ///< table, type, schema, ...
  std::string name;      ///< as written in the migration
  std::string revision;  ///< the revision creating it
  std::string where;     ///< `file:line` of the statement
};

/// What the check looks at.
struct BookkeepingFacts {
  VersionTables tables;
  bool version_table_exists = false;
  bool history_table_exists = false;
  std::vector<std::string> version_rows;
  int64_t history_rows = 0;
  /// Read only when schemagate has no record at all (no rows in either table).
  std::vector<ForeignTable> foreign;
  std::vector<ExistingObject> existing;
};

/// True when the version table is Alembic's own `alembic_version`, shared
/// on purpose: its rows stand without schemagate's history table, and it is
/// not another tool's table.
bool shares_alembic_version(const VersionTables& tables);

/// The verdict, without a database. Exit 5 (kStateRefused), saying what was
/// found and the command that adopts or repairs it, when:
/// - the version table holds rows but the history table is missing (unless
///   the version table is a shared alembic_version);
/// - the history table holds rows but the version table is missing;
/// - schemagate has no record at all and another tool's table records
///   applied migrations (alembic_version, schema_migrations of golang-migrate
///   or dbmate, flyway_schema_history, __diesel_schema_migrations);
/// - schemagate has no record at all and an object the plan creates exists.
Status judge_bookkeeping(const BookkeepingFacts& facts);

/// Judges `state`, reading what more it needs for `plan` (its up steps'
/// CREATE statements) only when the state holds no record at all.
Status check_bookkeeping(Database& database, const StoredState& state,
                         const script::ScriptDirectory& scripts, const script::Plan& plan);

}  // namespace schemagate::engine
