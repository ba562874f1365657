#include "kube/line_buffer.h"

namespace schemagate::kube {
namespace {

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

bool LineBuffer::append(const char* data, std::size_t size,
                        const std::function<bool(std::string_view)>& on_line) {
  std::string_view block(data, size);
  for (;;) {
    std::size_t end = block.find('\n');
    if (end == std::string_view::npos) {
      pending_.append(block);
      return true;
    }
    bool go_on;
    if (pending_.empty()) {
      // The usual case: the whole line is in this block, no copy.
      go_on = on_line(without_cr(block.substr(0, end)));
    } else {
      pending_.append(block.substr(0, end));
      go_on = on_line(without_cr(pending_));
      pending_.clear();
    }
    block.remove_prefix(end + 1);
    if (!go_on) return false;
  }
}

std::string LineBuffer::take_rest() {
  std::string rest = std::move(pending_);
  pending_.clear();
  return rest;
}

}  // namespace schemagate::kube
