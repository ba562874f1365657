#pragma once

#include <cstddef>
#include <string>

namespace schemagate::sql {

/// The 1-based file line of `byte_offset` in `text`, a slice of a file whose
/// first line is file line `first_line`. An offset past the end counts as the
/// end of the text.
int line_of_offset(const std::string& text, size_t byte_offset, int first_line);

}  // namespace schemagate::sql
