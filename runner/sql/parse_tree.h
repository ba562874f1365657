#pragma once

#include <optional>
#include <string>

#include "sql/json_value.h"

namespace schemagate::sql {

/// PostgreSQL's parse tree of `sql` (libpg_query's JSON:
/// `{"version": ..., "stmts": [{"stmt": {"<NodeType>": {...}}}, ...]}`), or
/// nothing when the parser rejects the text, or it is too large or too deeply
/// nested to print here (more than a few MB, or beyond JsonValue's depth):
/// the server is the judge of those.
std::optional<JsonValue> parse_tree(const std::string& sql);

}  // namespace schemagate::sql
