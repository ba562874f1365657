#pragma once

#include <string>

namespace schemagate::engine {

/// `"name"` with embedded quotes doubled: every identifier we write is quoted,
/// so a schema called `Order` or `my-app` works.
std::string quote_identifier(const std::string& name);
/// `schema.table`, both parts quoted.
std::string qualified_name(const std::string& schema, const std::string& table);
/// `'text'` with embedded quotes doubled (standard_conforming_strings is on
/// in every supported server, so backslashes are literal).
std::string quote_literal(const std::string& text);

}  // namespace schemagate::engine
