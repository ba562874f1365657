#pragma once

#include <string>
#include <vector>

#include "schema/catalog.h"
#include "schema/declared_schema.h"
#include "schema/diff.h"
#include "schemagate/common/result.h"

/// Renames are declared, never guessed: a `-- schemagate:renamed-from OLD`
/// comment on the line that declares an object in the schema file says it
/// used to be called OLD, so the migration renames it instead of dropping
/// it (and its data) and creating a new one.
namespace schemagate::schema {

enum class RenameKind { kTable, kColumn, kIndex, kView, kType };

struct Rename {
  RenameKind kind;
  std::string schema;
  std::string table;     ///< a column's table (its new name)
  std::string old_name;
  std::string new_name;
  std::string where;     ///< file:line of the comment
};

/// The renamed-from comments of `file`: on a `CREATE TABLE` line (the
/// table), on a column line inside one (the column), on `CREATE INDEX`,
/// `CREATE [MATERIALIZED] VIEW`, `CREATE TYPE` or `CREATE DOMAIN` lines.
/// Unqualified names are in `public`. Exit 2 naming the line when the
/// comment stands anywhere else or names nothing.
Result<std::vector<Rename>> find_renames(const SourceFile& file);

/// The declared renames that apply between `from` and `to`: the old name
/// exists in `from`, the new one only in `to`. Others (already applied, or
/// stale) are skipped, so the comment may stay in the schema file.
std::vector<Rename> applicable_renames(const Catalog& from, const Catalog& to,
                                       const std::vector<Rename>& renames);

/// ALTER ... RENAME statements performing `renames` in order (tables first).
std::vector<Statement> rename_statements(const Catalog& from, const std::vector<Rename>& renames);
/// The statements undoing them, in reverse order.
std::vector<Statement> reverse_rename_statements(const Catalog& from,
                                                 const std::vector<Rename>& renames);

}  // namespace schemagate::schema
