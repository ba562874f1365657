#include "sql/source_position.h"

#include <algorithm>

namespace schemagate::sql {

int line_of_offset(const std::string& text, size_t byte_offset, int first_line) {
  auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(byte_offset, text.size()));
  return first_line + static_cast<int>(std::count(text.begin(), end, '\n'));
}

size_t byte_offset_of_position(const std::string& text, int position) {
  int characters = 0;
  for (size_t offset = 0; offset < text.size(); ++offset) {
    // Continuation bytes (10xxxxxx) belong to the character before them.
    bool starts_character = (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
    if (starts_character && ++characters == position) return offset;
  }
  return text.size();
}

int line_of_position(const std::string& text, int position, int first_line) {
  return line_of_offset(text, byte_offset_of_position(text, position), first_line);
}

}  // namespace schemagate::sql
