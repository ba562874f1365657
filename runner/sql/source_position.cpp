#include "sql/source_position.h"

#include <algorithm>

namespace schemagate::sql {

int line_of_offset(const std::string& text, size_t byte_offset, int first_line) {
  auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(byte_offset, text.size()));
  return first_line + static_cast<int>(std::count(text.begin(), end, '\n'));
}

}  // namespace schemagate::sql
