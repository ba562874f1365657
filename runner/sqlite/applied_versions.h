#pragma once

#include "importers/adoption.h"
#include "importers/format.h"
#include "schemagate/common/result.h"
#include "sqlite/connection.h"

namespace schemagate::sqlite {

/// importers' read_applied_versions for a SQLite database: what `format`'s
/// own table says is applied, read as the PostgreSQL engine reads it
/// (golang-migrate's latest version and dirty flag, dbmate's and diesel's
/// versions, Flyway's history replayed by installed_rank). No such table is
/// refused (exit 5): probably the wrong file.
Result<importers::AppliedVersions> read_applied_versions(Connection& connection,
                                                         importers::Format format);

/// The rows of Alembic's alembic_version; exit 5 when there is no such table.
Result<std::vector<std::string>> alembic_version_rows(Connection& connection);

}  // namespace schemagate::sqlite
