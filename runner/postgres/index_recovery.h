#pragma once

#include <string>

#include <pqxx/pqxx>

#include "engine/concurrent_index.h"
#include "schemagate/common/result.h"

namespace schemagate::postgres {

using engine::ConcurrentIndex;

/// What stood under a CREATE INDEX CONCURRENTLY's name before it ran.
enum class IndexBefore {
  kAbsent,           ///< run the statement
  kLeftoverDropped,  ///< an INVALID index from an interrupted build was dropped: run it
  kAlreadyBuilt,     ///< a valid index with the same definition: nothing to run
};

/// Makes a CREATE INDEX CONCURRENTLY safe to (re)run: drops the INVALID
/// index an earlier attempt left (`DROP INDEX CONCURRENTLY IF EXISTS`), and
/// accepts a valid one with the same definition. Exit 1, naming `where`
/// (file:line), when a valid index with another definition has the name.
/// Runs outside any transaction, as CONCURRENTLY requires.
Result<IndexBefore> prepare_concurrent_index(pqxx::connection& connection,
                                             const ConcurrentIndex& index,
                                             const std::string& where);

/// After the statement: exit 1 when the index is missing or INVALID
/// (pg_index.indisvalid), which the server does not report as an error
/// when IF NOT EXISTS met a leftover.
Status check_index_valid(pqxx::connection& connection, const ConcurrentIndex& index,
                         const std::string& where);

}  // namespace schemagate::postgres
