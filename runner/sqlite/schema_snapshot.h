#pragma once

#include <string>
#include <vector>

#include "engine/version_records.h"
#include "sqlite/connection.h"

namespace schemagate::sqlite {

/// The schema of a SQLite database as sorted lines, one fact each: a
/// table's column (type, NOT NULL, default, key position), an index (its
/// table, columns, uniqueness, WHERE), a foreign key, a view's or trigger's
/// SQL. Read from SQLite's pragmas rather than the CREATE text it keeps, so
/// a table rebuilt and renamed compares equal to one created in one go.
/// schemagate's own tables and SQLite's internal ones are left out.
std::vector<std::string> schema_snapshot(Connection& connection,
                                         const engine::VersionTables& tables);

/// The lines only in `expected` ("missing: ...") and only in `actual`
/// ("unexpected: ..."); empty when the schemas are the same.
std::vector<std::string> snapshot_differences(const std::vector<std::string>& expected,
                                              const std::vector<std::string>& actual);

}  // namespace schemagate::sqlite
