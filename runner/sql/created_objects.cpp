#include "sql/created_objects.h"

#include <pg_query.h>

#include <cctype>
#include <optional>

#include "schemagate/common/large_stack.h"
#include "sql/json_value.h"

namespace schemagate::sql {
namespace {

// The same bounds as the statement classifier: libpg_query prints the tree
// with one C frame per nesting level, so the stack is sized from the length.
constexpr size_t kMaxParsedBytes = size_t{3} << 20;
constexpr size_t kBaseStackBytes = size_t{16} << 20;
constexpr size_t kStackBytesPerByte = 256;

std::optional<JsonValue> parse_tree_of(const std::string& statement) {
  std::optional<JsonValue> tree;
  if (statement.size() > kMaxParsedBytes) return tree;
  run_with_stack(kBaseStackBytes + kStackBytesPerByte * statement.size(), [&] {
    PgQueryParseResult result = pg_query_parse(statement.c_str());
    if (result.error == nullptr) tree = JsonValue::parse(result.parse_tree);
    pg_query_free_parse_result(result);
  });
  return tree;
}

/// Only statements starting with CREATE can create anything.
bool starts_with_create(const std::string& statement) {
  static const std::string kCreate = "CREATE";
  if (statement.size() < kCreate.size()) return false;
  for (size_t i = 0; i < kCreate.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(statement[i])) != kCreate[i]) return false;
  }
  return true;
}

std::string string_member(const JsonValue* node, const std::string& key) {
  const JsonValue* member = node != nullptr ? node->find(key) : nullptr;
  const std::string* text = member != nullptr ? member->string() : nullptr;
  return text != nullptr ? *text : std::string();
}

bool flag_member(const JsonValue& node, const std::string& key) {
  const JsonValue* member = node.find(key);
  return member != nullptr && member->is_true();
}

/// A RangeVar: `{"schemaname": ..., "relname": ..., "relpersistence": ...}`.
std::optional<CreatedObject> relation(const std::string& kind, const JsonValue* range_var) {
  std::string name = string_member(range_var, "relname");
  if (name.empty() || string_member(range_var, "relpersistence") == "t") return std::nullopt;
  return CreatedObject{kind, string_member(range_var, "schemaname"), name};
}

/// A qualified name list: `[{"String": {"sval": "s"}}, {"String": {"sval": "t"}}]`.
std::optional<CreatedObject> qualified(const std::string& kind, const JsonValue* names) {
  if (names == nullptr || names->array() == nullptr || names->array()->empty()) return std::nullopt;
  std::vector<std::string> parts;
  for (const JsonValue& part : *names->array()) {
    parts.push_back(string_member(part.find("String"), "sval"));
  }
  if (parts.size() > 2 || parts.back().empty()) return std::nullopt;
  return CreatedObject{kind, parts.size() == 2 ? parts.front() : "", parts.back()};
}

std::optional<CreatedObject> created_by(const std::string& type, const JsonValue& node) {
  if (type == "CreateStmt") return relation("table", node.find("relation"));
  if (type == "CreateSeqStmt") return relation("sequence", node.find("sequence"));
  if (type == "ViewStmt") {
    if (flag_member(node, "replace")) return std::nullopt;
    return relation("view", node.find("view"));
  }
  if (type == "CreateTableAsStmt") {
    const JsonValue* into = node.find("into");
    bool materialized = string_member(&node, "objtype") == "OBJECT_MATVIEW";
    return relation(materialized ? "materialized view" : "table",
                    into != nullptr ? into->find("rel") : nullptr);
  }
  if (type == "IndexStmt") {
    std::string name = string_member(&node, "idxname");
    if (name.empty()) return std::nullopt;
    // An index lives in its table's schema.
    return CreatedObject{"index", string_member(node.find("relation"), "schemaname"), name};
  }
  if (type == "CreateEnumStmt") return qualified("type", node.find("typeName"));
  if (type == "CreateDomainStmt") return qualified("type", node.find("domainname"));
  if (type == "CompositeTypeStmt") return relation("type", node.find("typevar"));
  if (type == "CreateSchemaStmt") {
    // `IF NOT EXISTS` on a schema expects to find it (public, or one a DBA
    // made for the application): its presence says nothing.
    std::string name = string_member(&node, "schemaname");
    if (name.empty() || flag_member(node, "if_not_exists")) return std::nullopt;
    return CreatedObject{"schema", "", name};
  }
  return std::nullopt;
}

}  // namespace

std::vector<CreatedObject> created_objects(const std::string& statement) {
  std::vector<CreatedObject> objects;
  if (!starts_with_create(statement)) return objects;
  std::optional<JsonValue> tree = parse_tree_of(statement);
  const JsonValue* stmts = tree ? tree->find("stmts") : nullptr;
  if (stmts == nullptr || stmts->array() == nullptr) return objects;
  for (const JsonValue& raw_stmt : *stmts->array()) {
    const JsonValue* stmt = raw_stmt.find("stmt");
    if (stmt == nullptr || stmt->object() == nullptr || stmt->object()->size() != 1) continue;
    const auto& [type, node] = stmt->object()->front();
    if (std::optional<CreatedObject> object = created_by(type, node)) objects.push_back(*object);
  }
  return objects;
}

}  // namespace schemagate::sql
