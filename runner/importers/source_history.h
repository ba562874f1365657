#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "importers/format.h"
#include "importers/version.h"
#include "schemagate/common/result.h"

namespace schemagate::importers {

/// One SQL body of another tool's migration, byte for byte, and where it
/// came from (for messages).
struct SourceBody {
  std::string sql;
  std::string path;    ///< relative to the source directory
  int first_line = 1;  ///< file line of the body's first line
};

/// One migration of another tool's history, as read from its files.
struct SourceMigration {
  Version version;
  std::string description;  ///< from the file name; becomes the revision message
  SourceBody up;
  std::optional<SourceBody> down;  ///< absent: the tool has no down for it
  /// The tool was told to run it outside a transaction (dbmate
  /// `transaction:false`, diesel `run_in_transaction = false`).
  bool declared_nontransactional = false;
};

/// A whole history, in the order the tool applies it.
struct SourceHistory {
  Format format;
  std::vector<SourceMigration> migrations;
};

/// Reads the history in `directory` written for `format`. Files that are not
/// migrations of that tool (README.md, *.sh, atlas.sum, .gitignore) are
/// ignored; broken or duplicate migrations are errors naming every file, and
/// so is a directory holding no migration at all.
Result<SourceHistory> read_history(Format format, const std::filesystem::path& directory);

/// How `format` names its migration files, for messages.
const char* migration_pattern(Format format);

// The readers of each format, with the contract of read_history.
Result<SourceHistory> read_golang_migrate(const std::filesystem::path& directory);
Result<SourceHistory> read_flyway(const std::filesystem::path& directory);
Result<SourceHistory> read_dbmate(const std::filesystem::path& directory);
Result<SourceHistory> read_diesel(const std::filesystem::path& directory);

/// Helpers shared by the readers.
namespace source {

/// The whole file, or an error naming it (see files::read_file).
Result<std::string> read_text(const std::filesystem::path& path);
/// The regular files in `directory` (with `recursive`, in its whole tree),
/// sorted; an error naming an entry that cannot be examined.
Result<std::vector<std::filesystem::path>> regular_files(const std::filesystem::path& directory,
                                                         bool recursive);
/// `add_users_table` -> `add users table`.
std::string description_of(const std::string& name_part);
/// Sorts by version and refuses two migrations with one version; `problems`
/// (one per line) are returned as one error when not empty.
Result<SourceHistory> finish(Format format, std::vector<SourceMigration> migrations,
                             std::string problems);
/// Logs the files that were skipped because they are not migrations.
void log_ignored(Format format, const std::vector<std::string>& names);

}  // namespace source

}  // namespace schemagate::importers
