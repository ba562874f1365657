#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kube/line_buffer.h"

using schemagate::kube::LineBuffer;

namespace {

// Feeds `text` in blocks of `block` bytes; the lines seen, then the rest.
std::vector<std::string> lines_of(const std::string& text, std::size_t block) {
  LineBuffer buffer;
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size(); at += block) {
    buffer.append(text.data() + at, std::min(block, text.size() - at), [&](std::string_view line) {
      lines.emplace_back(line);
      return true;
    });
  }
  lines.push_back("rest:" + buffer.take_rest());
  return lines;
}

}  // namespace

TEST_CASE("a stream is cut into the same lines whatever its blocks", "[line-buffer]") {
  const std::string text = "{\"type\":\"ADDED\"}\n\n{\"type\":\"MODIFIED\"}\r\n{\"type\":\"DEL";
  const std::vector<std::string> expected = {"{\"type\":\"ADDED\"}", "", "{\"type\":\"MODIFIED\"}",
                                             "rest:{\"type\":\"DEL"};
  for (std::size_t block : {1, 2, 3, 7, 16, 1000}) {
    INFO("block of " << block);
    CHECK(lines_of(text, block) == expected);
  }
}

TEST_CASE("a line handler that stops leaves the rest unread", "[line-buffer]") {
  LineBuffer buffer;
  std::vector<std::string> lines;
  std::string text = "a\nb\nc\n";
  bool go_on = buffer.append(text.data(), text.size(), [&](std::string_view line) {
    lines.emplace_back(line);
    return line != "b";
  });
  CHECK_FALSE(go_on);
  CHECK(lines == std::vector<std::string>{"a", "b"});
}
