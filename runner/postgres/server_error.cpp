#include "postgres/server_error.h"

#include <cctype>
#include <sstream>

namespace schemagate::postgres {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string after_label(const std::string& line, const std::string& label) {
  size_t begin = label.size();
  while (begin < line.size() && line[begin] == ' ') ++begin;
  return line.substr(begin);
}

}  // namespace

std::string ServerError::describe() const {
  std::string text = message;
  auto add = [&text](const char* label, const std::string& part) {
    if (part.empty()) return;
    text += (!text.empty() && text.back() == '.' ? " " : ". ") + std::string(label) + part;
  };
  add("DETAIL: ", detail);
  add("HINT: ", hint);
  return text;
}

ServerError parse_server_error(const std::string& text) {
  ServerError error;
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (first) {
      first = false;
      for (const char* severity : {"ERROR:", "FATAL:", "PANIC:"}) {
        if (starts_with(line, severity)) line = after_label(line, severity);
      }
      error.message = line;
    } else if (starts_with(line, "DETAIL:")) {
      error.detail = after_label(line, "DETAIL:");
    } else if (starts_with(line, "HINT:")) {
      error.hint = after_label(line, "HINT:");
    } else if (starts_with(line, "LINE ") && error.line == 0) {
      size_t digits = 5;
      int number = 0;
      while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) {
        number = number * 10 + (line[digits++] - '0');
        if (number > 100000000) break;
      }
      if (digits < line.size() && line[digits] == ':') error.line = number;
    }
  }
  return error;
}

}  // namespace schemagate::postgres
