#include "sql/created_objects.h"

#include <pg_query.h>

#include <cctype>
#include <optional>

#include "schemagate/common/large_stack.h"
#include "sql/parse_tree.h"

namespace schemagate::sql {
namespace {

// The same bounds as the statement classifier: libpg_query prints the tree
// with one C frame per nesting level, so the stack is sized from the length.
constexpr size_t kMaxParsedBytes = size_t{3} << 20;
// The parser itself keeps its state on the heap; the base is for its frames
// and the printer's first levels. Small enough that a short statement is
// parsed on the calling thread (run_with_stack).
constexpr size_t kBaseStackBytes = size_t{2} << 20;
constexpr size_t kStackBytesPerByte = 256;

std::optional<ParseTree> parse_tree_of(const std::string& statement) {
  std::optional<ParseTree> tree;
  if (statement.size() > kMaxParsedBytes) return tree;
  run_with_stack(kBaseStackBytes + kStackBytesPerByte * statement.size(), [&] {
    PgQueryParseResult result = pg_query_parse(statement.c_str());
    if (result.error == nullptr) tree = read_parse_tree(result.parse_tree);
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

/// The member `key` of `node`; null when `node` is no object or lacks it.
const ParseTree& member(const ParseTree& node, const char* key) {
  static const ParseTree kNull;
  if (!node.is_object()) return kNull;
  auto found = node.find(key);
  return found != node.end() ? *found : kNull;
}

/// A RangeVar: `{"schemaname": ..., "relname": ..., "relpersistence": ...}`.
std::optional<CreatedObject> relation(const std::string& kind, const ParseTree& range_var) {
  std::string name = string_member(range_var, "relname");
  if (name.empty() || string_member(range_var, "relpersistence") == "t") return std::nullopt;
  return CreatedObject{kind, string_member(range_var, "schemaname"), name};
}

/// A qualified name list: `[{"String": {"sval": "s"}}, {"String": {"sval": "t"}}]`.
std::optional<CreatedObject> qualified(const std::string& kind, const ParseTree& names) {
  if (!names.is_array() || names.empty()) return std::nullopt;
  std::vector<std::string> parts;
  for (const ParseTree& part : names) parts.push_back(string_member(member(part, "String"), "sval"));
  if (parts.size() > 2 || parts.back().empty()) return std::nullopt;
  return CreatedObject{kind, parts.size() == 2 ? parts.front() : "", parts.back()};
}

std::optional<CreatedObject> created_by(const std::string& type, const ParseTree& node) {
  if (type == "CreateStmt") return relation("table", member(node, "relation"));
  if (type == "CreateSeqStmt") return relation("sequence", member(node, "sequence"));
  if (type == "ViewStmt") {
    if (flag_member(node, "replace")) return std::nullopt;
    return relation("view", member(node, "view"));
  }
  if (type == "CreateTableAsStmt") {
    bool materialized = string_member(node, "objtype") == "OBJECT_MATVIEW";
    return relation(materialized ? "materialized view" : "table",
                    member(member(node, "into"), "rel"));
  }
  if (type == "IndexStmt") {
    std::string name = string_member(node, "idxname");
    if (name.empty()) return std::nullopt;
    // An index lives in its table's schema.
    return CreatedObject{"index", string_member(member(node, "relation"), "schemaname"), name};
  }
  if (type == "CreateEnumStmt") return qualified("type", member(node, "typeName"));
  if (type == "CreateDomainStmt") return qualified("type", member(node, "domainname"));
  if (type == "CompositeTypeStmt") return relation("type", member(node, "typevar"));
  if (type == "CreateSchemaStmt") {
    // `IF NOT EXISTS` on a schema expects to find it (public, or one a DBA
    // made for the application): its presence says nothing.
    std::string name = string_member(node, "schemaname");
    if (name.empty() || flag_member(node, "if_not_exists")) return std::nullopt;
    return CreatedObject{"schema", "", name};
  }
  return std::nullopt;
}

}  // namespace

std::vector<CreatedObject> created_objects(const std::string& statement) {
  std::vector<CreatedObject> objects;
  if (!starts_with_create(statement)) return objects;
  std::optional<ParseTree> tree = parse_tree_of(statement);
  if (!tree) return objects;
  const ParseTree& stmts = member(*tree, "stmts");
  if (!stmts.is_array()) return objects;
  for (const ParseTree& raw_stmt : stmts) {
    const ParseTree& stmt = member(raw_stmt, "stmt");
    if (!stmt.is_object() || stmt.size() != 1) continue;
    auto only = stmt.begin();
    if (std::optional<CreatedObject> object = created_by(only.key(), only.value())) {
      objects.push_back(*object);
    }
  }
  return objects;
}

}  // namespace schemagate::sql
