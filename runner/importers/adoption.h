#pragma once

#include <optional>
#include <string>
#include <vector>

#include "importers/chain_builder.h"
#include "schemagate/common/result.h"

namespace schemagate::importers {

/// What another tool's own table says is applied to a database.
struct AppliedVersions {
  std::string table;                  ///< the table read, for messages
  std::vector<std::string> versions;  ///< applied versions, as the table spells them
  /// golang-migrate keeps only the last applied version: every earlier one
  /// is applied too.
  bool latest_only = false;
  /// Flyway's baseline: every version up to it counts as applied.
  std::optional<std::string> baseline;
  /// Versions applied by code (Flyway's Java migrations: JDBC, SPRING_JDBC,
  /// SCRIPT rows), which have no SQL file to import: applied, without a
  /// revision of their own.
  std::vector<std::string> code_versions;
  /// Non-empty when the tool records a migration that failed halfway
  /// (golang-migrate's dirty flag, a failed Flyway row): what it says.
  std::string failure;
};

/// One row of Flyway's `flyway_schema_history`, in installed_rank order.
struct FlywayRow {
  std::optional<std::string> version;  ///< none for repeatable migrations
  std::string type;                    ///< SQL, JDBC, UNDO_SQL, BASELINE, SCHEMA, DELETE, ...
  bool success = true;
  std::string script;
};

/// Replays Flyway's history: migrations (SQL, JDBC, ...) add their version
/// (code ones are also listed in code_versions),
/// undos (UNDO_*) and deletions (DELETE) take it back out, BASELINE covers
/// everything up to it, SCHEMA rows (created schemas) and repeatable
/// migrations do not count; a failed row is a recorded failure.
AppliedVersions replay_flyway_history(const std::vector<FlywayRow>& rows);

/// The position in `chain` of the last applied migration, or nothing when
/// none is applied. An applied code version without a file is skipped (it is
/// applied and has no revision). Refused (exit 5), because stamping would
/// misstate the database: a failure the tool recorded; an applied SQL
/// version the files do not have; a version missing below an applied one
/// (applied out of order, which a linear chain cannot express).
/// The code versions of `applied` that `chain` has no revision for.
std::vector<std::string> code_versions_without_files(const std::vector<ImportedRevision>& chain,
                                                     const AppliedVersions& applied);

Result<std::optional<size_t>> adopted_position(const std::vector<ImportedRevision>& chain,
                                               const AppliedVersions& applied);

}  // namespace schemagate::importers
