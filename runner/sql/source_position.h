#pragma once

#include <cstddef>
#include <string>

namespace schemagate::sql {

/// The 1-based file line of `byte_offset` in `text`, a slice of a file whose
/// first line is file line `first_line`. An offset past the end counts as the
/// end of the text.
int line_of_offset(const std::string& text, size_t byte_offset, int first_line);

/// The byte offset of PostgreSQL's error position, which counts characters
/// (UTF-8 code points) from 1, not bytes. A position past the end maps to the
/// end of the text.
size_t byte_offset_of_position(const std::string& text, int position);

/// The file line of PostgreSQL's error position in `text`: what the engine
/// reports when the server rejects a statement that starts at `first_line`.
int line_of_position(const std::string& text, int position, int first_line);

}  // namespace schemagate::sql
