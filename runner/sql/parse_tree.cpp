#include "sql/parse_tree.h"

#include <pg_query.h>

#include "schemagate/common/large_stack.h"

namespace schemagate::sql {
namespace {

constexpr size_t kMaxDepth = 1000;

// libpg_query prints the tree with one C frame (~300 bytes) per nesting level,
// and a level takes two bytes of SQL at least (`1+1+...`): the stack is sized
// from the length. Longer statements are left to the server.
constexpr size_t kMaxParsedBytes = size_t{3} << 20;
// The parser itself keeps its state on the heap; the base is for its frames
// and the printer's first levels. Small enough that a short statement is
// parsed on the calling thread (run_with_stack).
constexpr size_t kBaseStackBytes = size_t{2} << 20;
constexpr size_t kStackBytesPerByte = 256;

/// Reads nothing but the nesting, and stops as soon as it is too deep: a
/// statement of 100,000 nested terms prints a tree of that depth.
class DepthCheck : public nlohmann::json_sax<ParseTree> {
 public:
  bool too_deep() const { return too_deep_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override { return leave(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool enter() {
    too_deep_ = ++depth_ > kMaxDepth;
    return !too_deep_;
  }
  bool leave() {
    --depth_;
    return true;
  }

  size_t depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace

std::optional<ParseTree> read_parse_tree(const char* json) {
  DepthCheck depth;
  if (!ParseTree::sax_parse(json, &depth) || depth.too_deep()) return std::nullopt;
  ParseTree tree = ParseTree::parse(json, nullptr, false);
  if (tree.is_discarded()) return std::nullopt;
  return tree;
}

std::string string_member(const ParseTree& node, const char* key) {
  if (!node.is_object()) return {};
  auto member = node.find(key);
  return member != node.end() && member->is_string() ? member->get<std::string>() : std::string();
}

bool flag_member(const ParseTree& node, const char* key) {
  if (!node.is_object()) return false;
  auto member = node.find(key);
  return member != node.end() && member->is_boolean() && member->get<bool>();
}

ParseOutcome parse_sql(const std::string& sql) {
  ParseOutcome outcome;
  if (sql.size() > kMaxParsedBytes) return outcome;
  run_with_stack(kBaseStackBytes + kStackBytesPerByte * sql.size(), [&] {
    PgQueryParseResult result = pg_query_parse(sql.c_str());
    if (result.error == nullptr) {
      outcome.tree = read_parse_tree(result.parse_tree);
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

}  // namespace schemagate::sql
