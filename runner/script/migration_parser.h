#pragma once

#include <string>
#include <string_view>

#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::script {

/// Parses the text of one migration file (DESIGN §1). `path` is only used in
/// messages, which always name the file and line and say how to fix it.
Result<Migration> parse_migration(const std::string& path, std::string_view text);

/// Parses only the header of a migration file into `out` (empty, but for
/// its path, which `path` may be): the lines up to its `-- schemagate:up`
/// marker, which is all the revision graph needs. `text` is the start of the
/// file, `whole_file` says whether the file ends there. The result has no
/// bodies (`up.first_line` is set); the header's errors are those
/// parse_migration reports, with the same file and line. False: the header
/// goes on past `text`; empty `out` again and read more of the file. A
/// repeatable revision's header does not check what its bodies hold: parse
/// it whole. Filling the caller's Migration spares a long history a move of
/// each.
Result<bool> parse_migration_header(const std::string& path, std::string_view text,
                                    bool whole_file, Migration& out);

/// Whether parse_migration reads `line` (one line, without its '\n') as a
/// `-- schemagate:` directive or section marker. Writers of migration files
/// ask it, so that a body line never turns into a directive when read back.
bool is_directive_line(std::string_view line);

}  // namespace schemagate::script
