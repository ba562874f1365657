#include "engine/sql_text.h"

namespace schemagate::engine {
namespace {

std::string quote_with(const std::string& text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::string quote_identifier(const std::string& name) { return quote_with(name, '"'); }

std::string qualified_name(const std::string& schema, const std::string& table) {
  return quote_identifier(schema) + "." + quote_identifier(table);
}

std::string quote_literal(const std::string& text) { return quote_with(text, '\''); }

}  // namespace schemagate::engine
