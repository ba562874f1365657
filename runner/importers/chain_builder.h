#pragma once

#include <string>
#include <vector>

#include "importers/source_history.h"
#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::importers {

/// One imported revision and the migration of the other tool it came from.
struct ImportedRevision {
  script::Migration migration;
  Version version;
  std::string sources;  ///< the source files, comma separated, for the file's header
};

/// The revision id of `version` of a `format` history: the first 12 hex
/// characters of SHA-256 over "<format>:<canonical version>", so importing
/// the same history again gives the same ids, and two formats never collide.
std::string derive_revision_id(Format format, const Version& version);

/// Turns a history into a linear chain of revisions, oldest first: each
/// revision's parent is the one before, the bodies are the source SQL byte
/// for byte, and the transaction mode is detected (see
/// detect_transaction_mode). Every problem is reported at once.
Result<std::vector<ImportedRevision>> build_chain(const SourceHistory& history);

/// The text of the native file of `revision`: a comment naming its sources,
/// then the usual header and sections.
std::string render_imported(Format format, const ImportedRevision& revision);

}  // namespace schemagate::importers
