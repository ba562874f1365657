#pragma once

#include <string>
#include <string_view>

#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::script {

/// Parses the text of one migration file (DESIGN §1). `path` is only used in
/// messages, which always name the file and line and say how to fix it.
Result<Migration> parse_migration(const std::string& path, std::string_view text);

/// Whether parse_migration reads `line` (one line, without its '\n') as a
/// `-- schemagate:` directive or section marker. Writers of migration files
/// ask it, so that a body line never turns into a directive when read back.
bool is_directive_line(std::string_view line);

}  // namespace schemagate::script
