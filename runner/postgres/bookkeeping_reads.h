#pragma once

#include <cstddef>
#include <vector>

#include <pqxx/pqxx>

#include "engine/database.h"
#include "sql/created_objects.h"

namespace schemagate::postgres {

/// The other tools' tables, found as the tools find them: through the
/// search_path. Only a table recording something counts: an empty one
/// migrated nothing.
std::vector<engine::ForeignTable> read_foreign_tables(pqxx::nontransaction& query,
                                                      const engine::VersionTables& tables);

/// Positions in `objects` of those the database holds, in one query. A
/// schema counts when it holds something: a schema a DBA made for the
/// application is empty in a database no migration touched.
std::vector<size_t> read_existing_objects(pqxx::nontransaction& query,
                                          const engine::VersionTables& tables,
                                          const std::vector<sql::CreatedObject>& objects);

}  // namespace schemagate::postgres
