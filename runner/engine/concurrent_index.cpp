#include "engine/concurrent_index.h"

#include <pg_query.h>

#include <set>

#include "engine/sql_text.h"
#include "sql/parse_tree.h"

namespace schemagate::engine {
namespace {

/// Members that differ between a statement and pg_get_indexdef of the same
/// index without changing what the index is.
const std::set<std::string> kIgnoredMembers = {"location", "idxname", "concurrent",
                                               "if_not_exists", "schemaname", "stmt_len",
                                               "stmt_location"};

/// `tree` without the members named in kIgnoredMembers, at any depth.
void strip_members(sql::ParseTree& tree) {
  if (tree.is_object()) {
    for (auto member = tree.begin(); member != tree.end();) {
      if (kIgnoredMembers.count(member.key())) {
        member = tree.erase(member);
      } else {
        strip_members(member.value());
        ++member;
      }
    }
  } else if (tree.is_array()) {
    for (sql::ParseTree& item : tree) strip_members(item);
  }
}

std::optional<sql::ParseTree> index_stmt_tree(const std::string& statement) {
  PgQueryParseResult result = pg_query_parse(statement.c_str());
  std::optional<sql::ParseTree> tree;
  if (result.error == nullptr) tree = sql::read_parse_tree(result.parse_tree);
  pg_query_free_parse_result(result);
  return tree;
}

/// The statement of a tree holding exactly one, as {"<NodeType>": {...}};
/// nullptr otherwise.
const sql::ParseTree* single_statement(const sql::ParseTree& tree) {
  if (!tree.is_object()) return nullptr;
  auto stmts = tree.find("stmts");
  if (stmts == tree.end() || !stmts->is_array() || stmts->size() != 1) return nullptr;
  const sql::ParseTree& raw = stmts->front();
  if (!raw.is_object()) return nullptr;
  auto stmt = raw.find("stmt");
  return stmt != raw.end() && stmt->is_object() ? &*stmt : nullptr;
}

/// The node `type` of the single statement of `tree`; nullptr when it is another.
const sql::ParseTree* statement_node(const sql::ParseTree& tree, const char* type) {
  const sql::ParseTree* stmt = single_statement(tree);
  if (!stmt) return nullptr;
  auto node = stmt->find(type);
  return node != stmt->end() && node->is_object() ? &*node : nullptr;
}

std::string definition_of(sql::ParseTree tree) {
  strip_members(tree);
  return tree.dump(-1, ' ', false, sql::ParseTree::error_handler_t::replace);
}

}  // namespace

std::string index_definition(const std::string& create_index_sql) {
  std::optional<sql::ParseTree> tree = index_stmt_tree(create_index_sql);
  if (!tree) return "";
  return definition_of(std::move(*tree));
}

std::optional<ConcurrentIndex> concurrent_index_of(const std::string& statement) {
  std::optional<sql::ParseTree> tree = index_stmt_tree(statement);
  const sql::ParseTree* index = tree ? statement_node(*tree, "IndexStmt") : nullptr;
  if (!index || !sql::flag_member(*index, "concurrent")) return std::nullopt;
  auto relation = index->find("relation");
  ConcurrentIndex found;
  found.name = sql::string_member(*index, "idxname");
  if (found.name.empty() || relation == index->end()) return std::nullopt;
  std::string schema = sql::string_member(*relation, "schemaname");
  std::string table = sql::string_member(*relation, "relname");
  found.table = schema.empty() ? quote_identifier(table)
                               : quote_identifier(schema) + "." + quote_identifier(table);
  found.definition = definition_of(std::move(*tree));
  return found;
}

bool repeatable_statement(const std::string& statement) {
  if (concurrent_index_of(statement)) return true;
  std::optional<sql::ParseTree> tree = index_stmt_tree(statement);
  const sql::ParseTree* drop = tree ? statement_node(*tree, "DropStmt") : nullptr;
  return drop && sql::string_member(*drop, "removeType") == "OBJECT_INDEX" &&
         sql::flag_member(*drop, "concurrent") && sql::flag_member(*drop, "missing_ok");
}

}  // namespace schemagate::engine
