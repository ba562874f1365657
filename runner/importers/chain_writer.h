#pragma once

#include <filesystem>
#include <vector>

#include "importers/chain_builder.h"
#include "schemagate/common/result.h"

namespace schemagate::importers {

struct WriteReport {
  std::vector<std::filesystem::path> written;  ///< new files
  size_t unchanged = 0;  ///< files already there with the same text (a re-run)
};

/// Writes each revision to `<versions_dir>/<id>_<slug>.sql`, creating the
/// directory. A file already there with the same text is left alone, so an
/// import can be re-run after the other tool's history grew. A file there
/// with other text is an error naming it, and then nothing is written.
Result<WriteReport> write_chain(const std::filesystem::path& versions_dir, Format format,
                                const std::vector<ImportedRevision>& chain);

}  // namespace schemagate::importers
