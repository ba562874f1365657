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

/// Whether a diesel `metadata.toml` says `run_in_transaction = false`.
bool diesel_runs_outside_transaction(std::string_view metadata);

}  // namespace schemagate::importers
