#pragma once

#include <optional>
#include <string>

#include "sql/json_value.h"

namespace schemagate::sql {

/// What PostgreSQL's parser makes of some SQL.
struct ParseOutcome {
  /// libpg_query's JSON parse tree:
  /// `{"version": ..., "stmts": [{"stmt": {"<NodeType>": {...}}}, ...]}`;
  /// nothing when the parser rejects the text, or it is too large or too
  /// deeply nested to print here (more than a few MB, or beyond JsonValue's
  /// depth): the server is the judge of those.
  std::optional<JsonValue> tree;
  /// The parser rejected the text (a syntax error), as opposed to a text
  /// too large or deep to look at.
  bool syntax_error = false;
};

ParseOutcome parse_sql(const std::string& sql);

/// parse_sql's tree alone.
std::optional<JsonValue> parse_tree(const std::string& sql);

}  // namespace schemagate::sql
