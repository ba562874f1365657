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
  Result<SourceHistory> history = Error(ErrorCode::kInvalid, "unknown import format");
  switch (format) {
    case Format::kGolangMigrate: history = read_golang_migrate(directory); break;
    case Format::kFlyway: history = read_flyway(directory); break;
    case Format::kDbmate: history = read_dbmate(directory); break;
    case Format::kDiesel: history = read_diesel(directory); break;
  }
  // An empty import would look like success and adopt nothing: most likely
  // the wrong directory.
  if (history && history->migrations.empty()) {
    return Error(ErrorCode::kInvalid,
                 directory.string() + " holds no " + format_name(format) + " migrations (" +
                     migration_pattern(format) +
                     "); point import at the directory that holds them, and check --from");
  }
  return history;
}

const char* migration_pattern(Format format) {
  switch (format) {
    case Format::kGolangMigrate: return "<version>_<name>.up.sql";
    case Format::kFlyway: return "V<version>__<description>.sql, in subdirectories too";
    case Format::kDbmate: return "<version>_<name>.sql";
    case Format::kDiesel: return "<version>_<name>/up.sql";
  }
  return "";
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
