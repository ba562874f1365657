#include "engine/concurrent_index.h"

#include <pg_query.h>

#include <set>

#include "engine/sql_text.h"
#include "sql/json_value.h"

namespace schemagate::engine {
namespace {

/// Members that differ between a statement and pg_get_indexdef of the same
/// index without changing what the index is.
const std::set<std::string> kIgnoredMembers = {"location", "idxname", "concurrent",
                                               "if_not_exists", "schemaname", "stmt_len",
                                               "stmt_location"};

/// The end of the JSON value starting at `at` (libpg_query prints compact JSON).
size_t value_end(const std::string& json, size_t at) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = at; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      if (!in_string && depth == 0) return i + 1;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') {
      if (depth == 0) return i;
      if (--depth == 0) return i + 1;
    } else if (c == ',' && depth == 0) {
      return i;
    }
  }
  return json.size();
}

/// `json` without the members named in kIgnoredMembers, at any depth.
std::string strip_members(const std::string& json) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < json.size()) out.push_back(json[++i]);
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"' && !out.empty() && (out.back() == '{' || out.back() == ',')) {
      size_t close = json.find('"', i + 1);
      if (close != std::string::npos && close + 1 < json.size() && json[close + 1] == ':' &&
          kIgnoredMembers.count(json.substr(i + 1, close - i - 1))) {
        size_t end = value_end(json, close + 2);
        if (out.back() == ',') out.pop_back();
        else if (end < json.size() && json[end] == ',') ++end;  // first member: drop its comma
        i = end - 1;
        continue;
      }
    }
    if (c == '"') in_string = true;
    out.push_back(c);
  }
  return out;
}

std::optional<sql::JsonValue> index_stmt_tree(const std::string& statement, std::string* json) {
  PgQueryParseResult result = pg_query_parse(statement.c_str());
  std::optional<sql::JsonValue> tree;
  if (result.error == nullptr) {
    tree = sql::JsonValue::parse(result.parse_tree);
    if (json) *json = result.parse_tree;
  }
  pg_query_free_parse_result(result);
  return tree;
}

std::string string_member(const sql::JsonValue& node, const std::string& key) {
  const sql::JsonValue* member = node.find(key);
  return member && member->string() ? *member->string() : std::string();
}

}  // namespace

std::string index_definition(const std::string& create_index_sql) {
  std::string json;
  if (!index_stmt_tree(create_index_sql, &json)) return "";
  return strip_members(json);
}

std::optional<ConcurrentIndex> concurrent_index_of(const std::string& statement) {
  std::string json;
  std::optional<sql::JsonValue> tree = index_stmt_tree(statement, &json);
  const sql::JsonValue* stmts = tree ? tree->find("stmts") : nullptr;
  if (!stmts || !stmts->array() || stmts->array()->size() != 1) return std::nullopt;
  const sql::JsonValue* stmt = stmts->array()->front().find("stmt");
  const sql::JsonValue* index = stmt ? stmt->find("IndexStmt") : nullptr;
  if (!index || !index->find("concurrent") || !index->find("concurrent")->is_true()) {
    return std::nullopt;
  }
  const sql::JsonValue* relation = index->find("relation");
  ConcurrentIndex found;
  found.name = string_member(*index, "idxname");
  if (found.name.empty() || !relation) return std::nullopt;
  std::string schema = string_member(*relation, "schemaname");
  std::string table = string_member(*relation, "relname");
  found.table = schema.empty() ? quote_identifier(table)
                               : quote_identifier(schema) + "." + quote_identifier(table);
  found.definition = strip_members(json);
  return found;
}

bool repeatable_statement(const std::string& statement) {
  if (concurrent_index_of(statement)) return true;
  std::optional<sql::JsonValue> tree = index_stmt_tree(statement, nullptr);
  const sql::JsonValue* stmts = tree ? tree->find("stmts") : nullptr;
  if (!stmts || !stmts->array() || stmts->array()->size() != 1) return false;
  const sql::JsonValue* stmt = stmts->array()->front().find("stmt");
  const sql::JsonValue* drop = stmt ? stmt->find("DropStmt") : nullptr;
  auto flag = [drop](const char* key) {
    const sql::JsonValue* member = drop->find(key);
    return member && member->is_true();
  };
  return drop && string_member(*drop, "removeType") == "OBJECT_INDEX" && flag("concurrent") &&
         flag("missing_ok");
}

}  // namespace schemagate::engine
