#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/database.h"
#include "engine/database_settings.h"
#include "importers/adoption.h"
#include "importers/format.h"
#include "lint/facts.h"
#include "schema/catalog.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "schemagate/common/stop_signal.h"

/// The PostgreSQL engine as the commands reach it, without its driver in
/// sight: opening it, and what only PostgreSQL offers. Each feature fails
/// with exit 2 on a database of another engine.
namespace schemagate::postgres {

/// Connects, waiting for the server up to settings.wait_for_db unless
/// `stop` is requested first.
Result<std::unique_ptr<engine::Database>> open_database(const engine::DatabaseSettings& settings,
                                                        Clock& clock,
                                                        const StopSignal* stop = nullptr);

/// PostgreSQL's bookkeeping SQL, for `--sql`.
const engine::SqlDialect& sql_dialect();

/// The live catalog's facts for lint (table sizes, columns, indexes).
Result<std::unique_ptr<lint::Facts>> lint_facts(engine::Database& database);

/// `upgrade --safety-checks`: before each statement that takes SHARE or
/// stronger on a table, waits for sessions idle in a transaction (or in
/// one longer than the statement lock_timeout) that hold it, as long as the
/// lock_timeout retries would have waited in the lock queue, then stops the
/// migration (exit 1, rolled back) naming them.
Status gate_strong_locks(engine::Database& database, const engine::ExecutorOptions& executor,
                         Clock& clock);

/// The live schema, without schemagate's own tables.
Result<schema::Catalog> read_catalog(engine::Database& database);

/// What another tool's own table records as applied (import --adopt-database).
Result<importers::AppliedVersions> applied_versions(engine::Database& database,
                                                    importers::Format format);

/// The rows of Alembic's alembic_version, found through the search_path;
/// exit 5 when there is no such table.
Result<std::vector<std::string>> alembic_version_rows(engine::Database& database);

}  // namespace schemagate::postgres
