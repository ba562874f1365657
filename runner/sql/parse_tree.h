#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace schemagate::sql {

/// The JSON document libpg_query prints for a parse (pg_query_parse's
/// parse_tree). Object members keep their order.
using ParseTree = nlohmann::ordered_json;

/// Reads a printed parse tree; nothing when it is not JSON or nests deeper
/// than 1000 levels (walking it would then risk the stack).
std::optional<ParseTree> read_parse_tree(const char* json);

/// The string member `key` of the object `node`; empty when there is none.
std::string string_member(const ParseTree& node, const char* key);
/// True only when `node` is an object whose member `key` is `true`.
bool flag_member(const ParseTree& node, const char* key);

/// What PostgreSQL's parser makes of some SQL.
struct ParseOutcome {
  /// `{"version": ..., "stmts": [{"stmt": {"<NodeType>": {...}}}, ...]}`;
  /// nothing when the parser rejects the text, or it is too large or too
  /// deeply nested to look at here (more than a few MB, or beyond
  /// read_parse_tree's depth): the server is the judge of those.
  std::optional<ParseTree> tree;
  /// The parser rejected the text (a syntax error), as opposed to a text
  /// too large or deep to look at.
  bool syntax_error = false;
};

/// Parses SQL with libpg_query on a stack sized for its nesting.
ParseOutcome parse_sql(const std::string& sql);

}  // namespace schemagate::sql
