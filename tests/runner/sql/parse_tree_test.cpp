#include <catch2/catch.hpp>

#include "sql/parse_tree.h"

using namespace schemagate::sql;

TEST_CASE("parse trees are read with their strings and flags", "[sql][parse_tree]") {
  auto tree = read_parse_tree(
      R"({"version":150001,"stmts":[{"stmt":{"IndexStmt":{"idxname":"i\u00e9","concurrent":true,)"
      R"("unique":false}}}]})");
  REQUIRE(tree);
  const ParseTree& index = (*tree)["stmts"][0]["stmt"]["IndexStmt"];
  CHECK(string_member(index, "idxname") == "i\xC3\xA9");
  CHECK(flag_member(index, "concurrent"));
  CHECK_FALSE(flag_member(index, "unique"));
  CHECK_FALSE(flag_member(index, "missing"));
  CHECK(string_member(index, "concurrent").empty());
  CHECK(string_member((*tree)["stmts"], "idxname").empty());  // not an object
}

TEST_CASE("malformed or too deep parse trees are refused, not a crash", "[sql][parse_tree]") {
  for (const char* text : {"", "{", "[1,]", "{\"a\" 1}", "\"\\x\"", "nul"}) {
    CHECK_FALSE(read_parse_tree(text));
  }
  CHECK_FALSE(read_parse_tree((std::string(5000, '[') + std::string(5000, ']')).c_str()));
  CHECK(read_parse_tree((std::string(900, '[') + std::string(900, ']')).c_str()));
}
