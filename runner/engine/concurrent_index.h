#pragma once

#include <optional>
#include <string>

namespace schemagate::engine {

/// A CREATE INDEX CONCURRENTLY statement, as far as recovering from an
/// interrupted or timed-out build needs to know it: such a build leaves an
/// INVALID index behind under the statement's name, which every retry then
/// collides with (42P07) or, with IF NOT EXISTS, silently keeps.
struct ConcurrentIndex {
  std::string table;        ///< as written, possibly schema-qualified, for to_regclass
  std::string name;         ///< the index name (created in the table's schema)
  /// The statement's parse tree without the name, schema, CONCURRENTLY,
  /// IF NOT EXISTS and token positions: equal for the statement and the
  /// server's pg_get_indexdef of an index it built.
  std::string definition;
};

/// The index a CREATE INDEX CONCURRENTLY statement builds; nothing for any
/// other statement, or one without an index name (there is no name to find
/// its leftover by).
std::optional<ConcurrentIndex> concurrent_index_of(const std::string& statement);

/// True for a statement that is safe to run again after an attempt died
/// midway: a named CREATE INDEX CONCURRENTLY (its leftover is dropped
/// first) or DROP INDEX CONCURRENTLY IF EXISTS. A non-transactional
/// revision made only of these is retried by the next upgrade.
bool repeatable_statement(const std::string& statement);

/// The comparable definition of `create_index_sql` (pg_get_indexdef's text).
std::string index_definition(const std::string& create_index_sql);

}  // namespace schemagate::engine
