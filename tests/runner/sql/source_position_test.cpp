#include <catch2/catch.hpp>

#include "sql/source_position.h"

using namespace schemagate::sql;

TEST_CASE("a byte offset maps to its file line", "[sql][position]") {
  std::string text = "SELECT 1;\nSELECT 2;\n\nSELECT x;\n";
  CHECK(line_of_offset(text, 0, 7) == 7);
  CHECK(line_of_offset(text, 9, 7) == 7);   // the newline ends line 7
  CHECK(line_of_offset(text, 10, 7) == 8);
  CHECK(line_of_offset(text, text.find('x'), 7) == 10);
  CHECK(line_of_offset(text, 1000, 7) == 11);
}

TEST_CASE("PostgreSQL's character position maps past multi-byte characters",
          "[sql][position]") {
  // 'é' is 2 bytes, '€' is 3, '😀' is 4: PostgreSQL counts each as one character.
  std::string text = "SELECT 'é€😀';\nSELECT nope;";
  size_t nope = text.find("nope");
  int position = 22;  // 1-based character position of `nope`
  CHECK(byte_offset_of_position(text, position) == nope);
  CHECK(byte_offset_of_position(text, 1) == 0);
  CHECK(byte_offset_of_position(text, 10) == text.find("€"));
  CHECK(byte_offset_of_position(text, 1000) == text.size());
  CHECK(line_of_position(text, position, 20) == 21);
  CHECK(line_of_position(text, 5, 20) == 20);
}
