#pragma once

#include <pqxx/pqxx>

#include "importers/adoption.h"
#include "importers/format.h"
#include "schemagate/common/result.h"

namespace schemagate::importers {

/// Reads what `format`'s own table in the connected database says is applied
/// (found through the search_path, where the tools create it by default):
/// golang-migrate's `schema_migrations(version bigint, dirty boolean)`,
/// dbmate's `schema_migrations(version varchar)`, Flyway's
/// `flyway_schema_history` (replayed in installed_rank order, undo rows
/// taking versions back out), diesel's `__diesel_schema_migrations`.
/// No such table is refused (exit 5): probably the wrong database.
Result<AppliedVersions> read_applied_versions(pqxx::connection& connection, Format format);

}  // namespace schemagate::importers
