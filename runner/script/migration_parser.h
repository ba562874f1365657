#pragma once

#include <string>
#include <string_view>

#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::script {

/// Parses the text of one migration file (DESIGN §1). `path` is only used in
/// messages, which always name the file and line and say how to fix it.
Result<Migration> parse_migration(const std::string& path, std::string_view text);

}  // namespace schemagate::script
