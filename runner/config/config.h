#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "schemagate/common/result.h"

namespace schemagate::config {

/// `lint.rules.RULE: off|warning|error`, checked against the rules by `lint`.
struct LintRuleSetting {
  std::string level;
  std::string where;  ///< "file:line", for messages
};

/// Settings from `schemagate.yaml` (every key optional). Command-line options
/// override them. The database URL is deliberately not here (DESIGN §1).
struct Config {
  std::filesystem::path directory = "migrations";
  std::string version_schema = "public";
  std::string version_table = "schemagate_version";
  std::string history_table = "schemagate_history";
  std::string lock_mode = "advisory";    ///< advisory | table
  std::optional<int64_t> lock_key;       ///< default: derived from schema and table
  double lock_timeout_seconds = 300;     ///< how long a runner waits for the migration lock
  double statement_lock_timeout_seconds = 5;  ///< PostgreSQL lock_timeout for migration SQL
  int lock_retries = 3;                  ///< retries of a statement that hit lock_timeout
  double wait_for_db_seconds = 0;        ///< retry connecting this long (init containers)
  std::map<std::string, LintRuleSetting> lint_rules;  ///< by rule id
  /// postgresql | sqlite: the database the revisions are written for, which
  /// `lint` and `--sql` follow when no database URL says (docs/sqlite.md).
  std::string engine = "postgresql";
  /// A server where scratch databases may be created (`test`, `diff`,
  /// `revision --autogenerate`); never the target database.
  std::string dev_url;
  std::filesystem::path schema;          ///< SQL file or directory of the desired schema
  std::string schema_command;            ///< a command printing the desired schema's DDL
};

/// The file name looked for in the working directory when --config is absent.
inline constexpr const char* kDefaultFileName = "schemagate.yaml";

/// Reads `path`. Relative directories in it are resolved against the file's
/// own directory. Unknown or repeated keys, wrong types, negative or NaN
/// durations and names longer than PostgreSQL's identifiers are errors naming
/// file, line and key.
Result<Config> load(const std::filesystem::path& path);

/// `load` for text already read: `path` names the file in messages and
/// anchors its relative directories.
Result<Config> parse(const std::string& text, const std::filesystem::path& path);

/// The `schemagate.yaml` that `schemagate init` writes.
std::string default_file_text(const std::string& directory);

}  // namespace schemagate::config
