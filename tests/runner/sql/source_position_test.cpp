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
