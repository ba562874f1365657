#pragma once

#include <memory>

#include "cli/context.h"
#include "engine/database.h"
#include "engine/database_settings.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"

namespace schemagate::commands {

using DatabaseSettings = engine::DatabaseSettings;

/// Reads the settings. The URL is only required when `need_url`.
Result<DatabaseSettings> database_settings(const cli::Context& context, bool need_url = true);

/// Connects to the target database (waiting for it up to --wait-for-db):
/// the one place a command gets its engine.
Result<std::unique_ptr<engine::Database>> open_database(const DatabaseSettings& settings,
                                                        Clock& clock = Clock::real());

/// The SQL dialect `--sql` prints for the engine the settings name.
const engine::SqlDialect& offline_dialect(const DatabaseSettings& settings);

}  // namespace schemagate::commands
