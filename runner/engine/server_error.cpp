#include "engine/server_error.h"

#include <regex>

namespace schemagate::engine {

ServerError parse_server_error(const std::string& text) {
  ServerError error;
  std::string first = text.substr(0, text.find('\n'));
  static const std::regex kSeverity(R"(^(ERROR|FATAL|PANIC):\s+)");
  error.message = std::regex_replace(first, kSeverity, "");
  static const std::regex kLine(R"((^|\n)LINE (\d+): )");
  std::smatch match;
  if (std::regex_search(text, match, kLine)) error.line = std::stoi(match[2].str());
  return error;
}

}  // namespace schemagate::engine
