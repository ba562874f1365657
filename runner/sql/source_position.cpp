#include "sql/source_position.h"

#include <algorithm>

namespace schemagate::sql {

int line_of_offset(const std::string& text, size_t byte_offset, int first_line) {
  auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(byte_offset, text.size()));
  return first_line + static_cast<int>(std::count(text.begin(), end, '\n'));
}

int LineCounter::line_at(size_t byte_offset) {
  byte_offset = std::min(byte_offset, text_.size());
  if (byte_offset < counted_to_) {
    line_ = line_of_offset(text_, byte_offset, first_line_);
  } else {
    line_ += static_cast<int>(
        std::count(text_.begin() + static_cast<std::ptrdiff_t>(counted_to_),
                   text_.begin() + static_cast<std::ptrdiff_t>(byte_offset), '\n'));
  }
  counted_to_ = byte_offset;
  return line_;
}

}  // namespace schemagate::sql
