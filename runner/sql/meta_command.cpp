#include "sql/meta_command.h"

#include "sql/scanner.h"

namespace schemagate::sql {

std::optional<MetaCommand> find_meta_command(const std::string& sql) {
  std::optional<std::vector<Token>> tokens = scan(sql);
  if (!tokens) return std::nullopt;
  for (const Token& token : *tokens) {
    if (token.kind != kBackslashToken) continue;
    auto offset = static_cast<size_t>(token.start);
    size_t end = sql.find_first_of(" \t\r\n", offset + 1);
    if (end == std::string::npos) end = sql.size();
    return MetaCommand{sql.substr(offset, end - offset), offset};
  }
  return std::nullopt;
}

}  // namespace schemagate::sql
