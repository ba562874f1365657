#include "importers/chain_writer.h"

#include <fstream>
#include <iterator>

#include "script/revision_writer.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

fs::path path_for(const fs::path& versions_dir, const script::Migration& migration) {
  const script::Revision& id = migration.revision;
  return versions_dir / (id.id + "_" + script::slug_for(id.message) + ".sql");
}

Result<WriteReport> write_chain(const fs::path& versions_dir, Format format,
                                const std::vector<ImportedRevision>& chain) {
  std::vector<PlannedFile> files;
  for (const ImportedRevision& revision : chain) {
    files.push_back({path_for(versions_dir, revision.migration), render_imported(format, revision)});
  }
  return write_files(versions_dir, std::move(files));
}

Result<WriteReport> write_files(const fs::path& versions_dir, std::vector<PlannedFile> files) {
  std::vector<PlannedFile> to_write;
  WriteReport report;
  std::string problems;
  for (PlannedFile& planned : files) {
    std::error_code ec;
    if (!fs::exists(planned.path, ec)) {
      to_write.push_back(std::move(planned));
      continue;
    }
    std::ifstream stream(planned.path, std::ios::binary);
    std::string existing((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    if (existing == planned.text) {
      ++report.unchanged;
    } else {
      problems += (problems.empty() ? "" : "\n") + planned.path.string() +
                  " already exists with other content (edited after an earlier import?); "
                  "not overwriting it: remove it to import it again";
    }
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);

  std::error_code ec;
  fs::create_directories(versions_dir, ec);
  if (ec) return Error(ErrorCode::kInvalid, versions_dir.string() + ": " + ec.message());
  for (PlannedFile& planned : to_write) {
    std::ofstream stream(planned.path, std::ios::binary);
    stream << planned.text;
    stream.close();
    if (!stream) {
      return Error(ErrorCode::kInvalid,
                   planned.path.string() + ": cannot be written; check the directory");
    }
    report.written.push_back(std::move(planned.path));
  }
  return report;
}

}  // namespace schemagate::importers
