#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace schemagate::sql {

/// A psql meta-command (`\set`, `\i`, `\connect`, `\\`) in SQL text.
struct MetaCommand {
  std::string name;  ///< the backslash and the command word: `\set`
  size_t offset = 0;  ///< byte offset of the backslash
};

/// The first backslash outside strings, quoted identifiers, dollar quotes and
/// comments, as PostgreSQL's scanner sees them. psql takes every such
/// backslash as a meta-command, at the start of a line or after a query
/// (`SELECT 1 \gset`), and no SQL contains one, so each is reported.
/// Nothing is found in text the scanner rejects (an unterminated string):
/// the server reports that.
std::optional<MetaCommand> find_meta_command(const std::string& sql);

}  // namespace schemagate::sql
