#pragma once

#include <cstddef>
#include <string>

namespace schemagate::sql {

/// The 1-based file line of `byte_offset` in `text`, a slice of a file whose
/// first line is file line `first_line`. An offset past the end counts as the
/// end of the text.
int line_of_offset(const std::string& text, size_t byte_offset, int first_line);

/// line_of_offset for offsets asked in increasing order, as a splitter asks
/// them: each answer counts on from the last, so a body of n statements is
/// read once, not n times. An offset before the last is counted afresh.
class LineCounter {
 public:
  LineCounter(const std::string& text, int first_line)
      : text_(text), first_line_(first_line), line_(first_line) {}

  int line_at(size_t byte_offset);

 private:
  const std::string& text_;
  int first_line_;
  size_t counted_to_ = 0;
  int line_;
};

}  // namespace schemagate::sql
