#include "importers/source_history.h"

#include <algorithm>

#include "schemagate/common/files.h"
#include "schemagate/common/logging.h"

namespace schemagate::importers {

Result<SourceHistory> read_history(Format format, const std::filesystem::path& directory) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    return Error(ErrorCode::kInvalid, directory.string() + " is not a directory; point import at "
                                                           "the " + format_name(format) +
                                          " migrations directory");
  }
  switch (format) {
    case Format::kGolangMigrate: return read_golang_migrate(directory);
    case Format::kFlyway: return read_flyway(directory);
    case Format::kDbmate: return read_dbmate(directory);
    case Format::kDiesel: return read_diesel(directory);
  }
  return Error(ErrorCode::kInvalid, "unknown import format");
}

namespace source {

Result<std::string> read_text(const std::filesystem::path& path) { return files::read_file(path); }

Result<std::vector<std::filesystem::path>> regular_files(const std::filesystem::path& directory,
                                                         bool recursive) {
  Result<std::vector<files::Entry>> entries = files::list_directory(directory, recursive);
  if (!entries) return entries.error();
  std::vector<std::filesystem::path> regular;
  for (const files::Entry& entry : *entries) {
    if (entry.type == std::filesystem::file_type::regular) regular.push_back(entry.path);
  }
  return regular;
}

std::string description_of(const std::string& name_part) {
  std::string description = name_part;
  std::replace(description.begin(), description.end(), '_', ' ');
  return description;
}

Result<SourceHistory> finish(Format format, std::vector<SourceMigration> migrations,
                             std::string problems) {
  std::stable_sort(migrations.begin(), migrations.end(),
                   [](const SourceMigration& a, const SourceMigration& b) {
                     return a.version < b.version;
                   });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      problems += (problems.empty() ? "" : "\n") + migrations[i].up.path + ": version " +
                  migrations[i].version.to_string() + " is also used by " +
                  migrations[i - 1].up.path + "; every migration needs its own version";
    }
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalid, problems);
  return SourceHistory{format, std::move(migrations)};
}

void log_ignored(Format format, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
  log::info("ignored files that are not migrations",
            {{"format", format_name(format)}, {"files", joined}});
}

}  // namespace source
}  // namespace schemagate::importers
