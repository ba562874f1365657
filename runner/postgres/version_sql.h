#pragma once

#include <string>
#include <vector>

#include "engine/sql_dialect.h"
#include "engine/version_records.h"

namespace schemagate::postgres {

using engine::HistoryRecord;
using engine::VersionTables;

/// The SQL every statement builder below produces is plain text so that the
/// online runner and `--sql` print exactly the same statements.

/// Creates the schema, version and history tables when missing.
std::string create_tables_sql(const VersionTables& tables);

/// Deletes `removed` rows and inserts `added` ones. The delete is one
/// statement whose affected row count the caller checks against
/// removed.size(): every row it expects to move must be there.
std::string delete_versions_sql(const VersionTables& tables, const std::vector<std::string>& removed);
std::string insert_versions_sql(const VersionTables& tables, const std::vector<std::string>& added);

std::string insert_history_sql(const VersionTables& tables, const HistoryRecord& record);

/// A linear step's version change: the row `from` becomes `to`, in one
/// statement (cheaper to plan than a delete and an insert) whose affected
/// row count the caller checks: 1 when the row was there.
std::string move_version_sql(const VersionTables& tables, const std::string& from,
                             const std::string& to);

/// One statement that deletes `removed`, inserts `added` and writes the
/// history row (data-modifying CTEs), returning how many rows it deleted:
/// one round trip per migration instead of three.
std::string version_change_sql(const VersionTables& tables, const std::vector<std::string>& removed,
                               const std::vector<std::string>& added, const HistoryRecord& record);

/// Lets the history table take `repeat` rows: a table created before
/// repeatable revisions existed has a CHECK on direction without it. A
/// no-op (a catalog read) once widened; idempotent, so `--sql` prints it too.
std::string allow_repeat_direction_sql(const VersionTables& tables);

/// Everything read_state needs in one statement: rows of (kind, position,
/// a, b, c, d, flag) from the tables said to exist, and the backend's pid.
std::string state_sql(const VersionTables& tables, bool version_table, bool history_table);

/// Rows of (revision, checksum): each revision's latest successful up,
/// stamp or repair. Apart from state_sql since it grows with the history.
std::string recorded_checksums_sql(const VersionTables& tables);

/// PostgreSQL's bookkeeping SQL for `--sql`.
class PostgresDialect : public engine::SqlDialect {
 public:
  std::string create_tables(const VersionTables& tables) const override;
  std::string allow_repeat_direction(const VersionTables& tables) const override;
  std::string delete_versions(const VersionTables& tables,
                              const std::vector<std::string>& removed) const override;
  std::string insert_versions(const VersionTables& tables,
                              const std::vector<std::string>& added) const override;
  std::string insert_history(const VersionTables& tables,
                             const HistoryRecord& record) const override;
};

}  // namespace schemagate::postgres
