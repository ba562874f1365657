#pragma once

#include <pqxx/pqxx>

#include "engine/version_records.h"
#include "schema/catalog.h"

namespace schemagate::schema {

/// Reads the catalog of the database `connection` is on, in one read-only
/// snapshot. schemagate's own tables (`tables`: version, history, lease)
/// and their schema are left out, as are system schemas and the members of
/// extensions. Throws what pqxx throws; callers wrap it in `guarded`.
Catalog read_catalog(pqxx::connection& connection, const engine::VersionTables& tables);

}  // namespace schemagate::schema
