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

TEST_CASE("a line counter answers as line_of_offset, forwards and back", "[sql][position]") {
  std::string text = "SELECT 1;\nSELECT 2;\n\nSELECT x;\n";
  LineCounter lines(text, 7);
  for (size_t offset : {size_t{0}, size_t{9}, size_t{10}, text.find('x'), size_t{10}, size_t{0},
                        text.size(), size_t{1000}, size_t{12}}) {
    INFO(offset);
    CHECK(lines.line_at(offset) == line_of_offset(text, offset, 7));
  }
}
