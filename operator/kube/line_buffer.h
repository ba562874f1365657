#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace schemagate::kube {

/// Cuts a byte stream that arrives in blocks of any size into lines: a watch
/// stream is one JSON event per line, read a block at a time rather than a
/// character at a time (each character through cpprestsdk's stream buffer
/// took a lock and, per line, a chain of tasks).
class LineBuffer {
 public:
  /// Adds `size` bytes and hands each line they complete (without its "\n"
  /// or "\r\n") to `on_line`, until it returns false; then returns false too
  /// (the rest stays unread).
  bool append(const char* data, std::size_t size,
              const std::function<bool(std::string_view)>& on_line);
  /// The text after the last newline: at the end of the stream, a last line
  /// without one.
  std::string take_rest();

 private:
  std::string pending_;
};

}  // namespace schemagate::kube
