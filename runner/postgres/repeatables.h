#pragma once

#include <random>

#include <pqxx/pqxx>

#include "engine/database.h"
#include "postgres/version_store.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "script/migration.h"

namespace schemagate::postgres {

/// Runs repeatable revision `migration` (script/repeatable.h) in its own
/// transaction with its `repeat` history row, retried after lock_timeout.
/// A failure rolls it back, is recorded, and returns exit 1 with the file
/// and line.
Status apply_repeatable(pqxx::connection& connection, VersionStore& store,
                        const engine::ExecutorOptions& options, Clock& clock,
                        std::mt19937_64& random, const script::Migration& migration);

}  // namespace schemagate::postgres
