#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "importers/chain_builder.h"
#include "schemagate/common/result.h"

namespace schemagate::importers {

struct WriteReport {
  std::vector<std::filesystem::path> written;  ///< new files
  size_t unchanged = 0;  ///< files already there with the same text (a re-run)
};

/// A file to write and its whole text.
struct PlannedFile {
  std::filesystem::path path;
  std::string text;
};

/// Writes the files, creating their directory. A file already there with the
/// same text is left alone (a re-run); one with other text is an error
/// naming it, and then nothing is written.
Result<WriteReport> write_files(const std::filesystem::path& versions_dir,
                                std::vector<PlannedFile> files);

/// The path of `migration` in `versions_dir`: `<id>_<slug>.sql`.
std::filesystem::path path_for(const std::filesystem::path& versions_dir,
                               const script::Migration& migration);

/// Writes each revision to `<versions_dir>/<id>_<slug>.sql`, creating the
/// directory. A file already there with the same text is left alone, so an
/// import can be re-run after the other tool's history grew. A file there
/// with other text is an error naming it, and then nothing is written.
Result<WriteReport> write_chain(const std::filesystem::path& versions_dir, Format format,
                                const std::vector<ImportedRevision>& chain);

}  // namespace schemagate::importers
