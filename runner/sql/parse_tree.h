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

}  // namespace schemagate::sql
