#include "importers/chain_writer.h"

#include <fstream>
#include <iterator>

#include "script/revision_writer.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

Result<WriteReport> write_chain(const fs::path& versions_dir, Format format,
                                const std::vector<ImportedRevision>& chain) {
  struct Planned {
    fs::path path;
    std::string text;
  };
  std::vector<Planned> to_write;
  WriteReport report;
  std::string problems;
  for (const ImportedRevision& revision : chain) {
    const script::Revision& id = revision.migration.revision;
    Planned planned{versions_dir / (id.id + "_" + script::slug_for(id.message) + ".sql"),
                    render_imported(format, revision)};
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
  for (Planned& planned : to_write) {
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
