#include "sql/parse_tree.h"

#include <pg_query.h>

#include "schemagate/common/large_stack.h"

namespace schemagate::sql {
namespace {

// libpg_query prints the tree with one C frame (~300 bytes) per nesting level,
// and a level takes two bytes of SQL at least (`1+1+...`): the stack is sized
// from the length. Longer statements are left to the server.
constexpr size_t kMaxParsedBytes = size_t{3} << 20;
constexpr size_t kBaseStackBytes = size_t{16} << 20;
constexpr size_t kStackBytesPerByte = 256;

}  // namespace

std::optional<JsonValue> parse_tree(const std::string& sql) {
  std::optional<JsonValue> tree;
  if (sql.size() > kMaxParsedBytes) return tree;
  run_with_stack(kBaseStackBytes + kStackBytesPerByte * sql.size(), [&] {
    PgQueryParseResult result = pg_query_parse(sql.c_str());
    if (result.error == nullptr) tree = JsonValue::parse(result.parse_tree);
    pg_query_free_parse_result(result);
  });
  return tree;
}

}  // namespace schemagate::sql
