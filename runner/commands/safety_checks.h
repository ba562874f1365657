#pragma once

#include <string>

#include "cli/context.h"
#include "engine/database.h"
#include "engine/migrator.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

/// `upgrade --safety-checks`: the lint rules before anything runs (and,
/// through the engine, a look at who holds the table before each statement
/// that takes a strong lock: postgres/strong_lock_gate.h).
namespace schemagate::commands {

/// Lints the revisions `upgrade TARGET` would run, with the live database's
/// facts. Errors stop the upgrade before anything runs (exit 1), each logged
/// with its file, line, lock and rewrite.
Status lint_before_upgrade(const cli::Context& context, engine::Migrator& migrator,
                           engine::Database& database, const script::ScriptDirectory& scripts,
                           const std::string& target, const engine::ExecutorOptions& executor);

}  // namespace schemagate::commands
