#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "importers/source_history.h"
#include "schemagate/common/result.h"

namespace schemagate::importers {

// The text rules of each tool, apart from any file system: how it names its
// migration files and what its files say. Scanned by hand, in one pass and
// without recursion, so that no name or file length can exhaust the stack.

/// The parts of a migration file name that matter.
struct NameParts {
  std::string version;      ///< as spelled: `001`, `2_1`, `2024-01-31-120000`
  std::string description;  ///< the free part: `add_users_table`
  std::string kind;         ///< golang-migrate `up`/`down`, Flyway `V`/`U`; else empty
};

/// `<digits>_<description>.(up|down).sql`
std::optional<NameParts> parse_golang_migrate_name(std::string_view name);
/// `<digits>_<description>.sql`
std::optional<NameParts> parse_dbmate_name(std::string_view name);
/// `V<version>__<description>.sql` or `U<version>__<description>.sql`, the
/// version being digit groups separated by `.` or `_`.
std::optional<NameParts> parse_flyway_name(std::string_view name);
/// `R__<description>.sql`: a repeatable Flyway migration.
bool is_flyway_repeatable_name(std::string_view name);
/// `<digit>[digits and dashes]_<description>`: a diesel migration directory.
std::optional<NameParts> parse_diesel_name(std::string_view name);

/// Splits the text of the dbmate file `name` into its up and optional down
/// sections; an ErrorCode::kInvalid error naming the file and line otherwise.
Result<SourceMigration> parse_dbmate_text(const std::string& name, const Version& version,
                                          const std::string& description,
                                          const std::string& text);

/// What a Flyway script configuration file (`V1__x.sql.conf`) says.
struct FlywayScriptConfig {
  bool nontransactional = false;  ///< executeInTransaction=false
};

/// Parses the `key=value` lines of the Flyway script configuration `name`
/// (`#` comments, blank lines). Known: executeInTransaction (true/false) and
/// encoding (UTF-8 only: the import reads UTF-8). Any other key, or another
/// value, is an ErrorCode::kInvalid error naming the file and line.
Result<FlywayScriptConfig> parse_flyway_script_config(const std::string& name,
                                                      std::string_view text);

/// A Flyway placeholder (`${name}`, `${flyway:user}`) in SQL.
struct Placeholder {
  size_t offset = 0;
  std::string text;
};
/// The first placeholder in `sql`: Flyway replaces them before running, so
/// the SQL as written is not what ran.
std::optional<Placeholder> find_flyway_placeholder(std::string_view sql);

/// Whether a diesel `metadata.toml` says `run_in_transaction = false`.
bool diesel_runs_outside_transaction(std::string_view metadata);

}  // namespace schemagate::importers
