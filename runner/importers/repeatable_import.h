#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "importers/adoption.h"
#include "importers/source_history.h"
#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::importers {

/// One imported repeatable revision and the file it came from.
struct ImportedRepeatable {
  script::Migration migration;
  std::string source;  ///< the source file, relative to the source directory
};

/// The id of repeatable `name` of a `format` history: the first 12 hex
/// characters of SHA-256 over "<format>:R:<name>", stable across imports.
std::string derive_repeatable_id(Format format, const std::string& name);

/// The history's repeatables as repeatable revisions, bodies byte for byte.
/// Refused, naming file and line: a body that cannot run in one
/// transaction (its own BEGIN/COMMIT, CONCURRENTLY, VACUUM) or holds a line
/// that would read as a schemagate directive.
Result<std::vector<ImportedRepeatable>> build_repeatables(const SourceHistory& history);

/// The text of the native file of `repeatable`.
std::string render_imported(Format format, const ImportedRepeatable& repeatable);

/// Flyway's checksum of a file's text: CRC32 over its lines (without line
/// ends, a leading byte order mark dropped), as the signed 32-bit number
/// flyway_schema_history stores.
int32_t flyway_checksum(const std::string& text);

/// The repeatables that `applied` (Flyway's history) shows applied from the
/// file as it is now: the latest row of the same script succeeded, and its
/// checksum equals the file's. Adoption records these, so that they are not
/// applied again; the others run at the next upgrade, as Flyway would.
std::vector<const ImportedRepeatable*> adopted_repeatables(
    const std::vector<ImportedRepeatable>& repeatables, const AppliedVersions& applied);

}  // namespace schemagate::importers
