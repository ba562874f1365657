#include <catch2/catch.hpp>

#include "sql/json_value.h"

using schemagate::sql::JsonValue;

TEST_CASE("json: objects, arrays and scalars", "[sql][json]") {
  auto value = JsonValue::parse(
      R"( {"a": [1, -2.5e3, true, false, null, {}], "b": {"c": "d"}, "e": true} )");
  REQUIRE(value);
  REQUIRE(value->find("a") != nullptr);
  REQUIRE(value->find("a")->array() != nullptr);
  CHECK(value->find("a")->array()->size() == 6);
  CHECK(value->find("a")->array()->at(2).is_true());
  CHECK_FALSE(value->find("a")->array()->at(3).is_true());
  CHECK(*value->find("b")->find("c")->string() == "d");
  CHECK(value->find("e")->is_true());
  CHECK(value->find("missing") == nullptr);
  CHECK(value->find("e")->find("x") == nullptr);
}

TEST_CASE("json: string escapes, unicode included", "[sql][json]") {
  auto value = JsonValue::parse(R"(["q\"b\\s\/n\nt\t", "\u00e9\u20ac\ud83d\ude00"])");
  REQUIRE(value);
  CHECK(*value->array()->at(0).string() == "q\"b\\s/n\nt\t");
  CHECK(*value->array()->at(1).string() == "é€😀");
}

TEST_CASE("json: malformed documents are refused", "[sql][json]") {
  for (const char* text : {"", "{", "[1,]", "{\"a\" 1}", "\"open", "tru", "[1] x", "\"\\x\"",
                           "\"\\ud83d\""}) {
    INFO(text);
    CHECK_FALSE(JsonValue::parse(text));
  }
  CHECK_FALSE(JsonValue::parse(std::string(5000, '[') + std::string(5000, ']')));
}
