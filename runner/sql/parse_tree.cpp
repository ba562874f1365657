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

ParseOutcome parse_sql(const std::string& sql) {
  ParseOutcome outcome;
  if (sql.size() > kMaxParsedBytes) return outcome;
  run_with_stack(kBaseStackBytes + kStackBytesPerByte * sql.size(), [&] {
    PgQueryParseResult result = pg_query_parse(sql.c_str());
    if (result.error == nullptr) {
      outcome.tree = JsonValue::parse(result.parse_tree);
    } else {
      // libpg_query reports a nesting too deep for its stack as an error too
      // ("stack depth limit exceeded"): that is not the SQL's fault.
      outcome.syntax_error = std::string(result.error->message).find("stack depth") ==
                             std::string::npos;
    }
    pg_query_free_parse_result(result);
  });
  return outcome;
}

std::optional<JsonValue> parse_tree(const std::string& sql) { return parse_sql(sql).tree; }

}  // namespace schemagate::sql
