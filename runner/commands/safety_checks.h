#pragma once

#include <functional>
#include <string>

#include "cli/context.h"
#include "commands/database_session.h"
#include "engine/executor.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

/// `upgrade --safety-checks`: the lint rules before anything runs, and a look
/// at who holds the table before each statement that takes a strong lock.
namespace schemagate::commands {

/// Lints the revisions `upgrade TARGET` would run, with the live database's
/// facts. Errors stop the upgrade before anything runs (exit 1), each logged
/// with its file, line, lock and rewrite.
Status lint_before_upgrade(const cli::Context& context, DatabaseSession& session,
                           const script::ScriptDirectory& scripts, const std::string& target,
                           const engine::ExecutorOptions& executor);

/// The executor's before_statement hook. Before a statement that takes SHARE
/// or stronger on a table, it looks for other sessions holding a lock on that
/// table that are idle in a transaction or have been in one longer than the
/// statement lock_timeout: the statement would queue behind them while every
/// later query on the table queued behind it. It waits for them outside the
/// lock queue, as long as the runner's lock_timeout retries would have
/// waited in it, then stops the migration (exit 1, rolled back) naming them.
std::function<Status(pqxx::transaction_base&, const script::Migration&, const sql::Statement&)>
lock_holder_gate(const engine::ExecutorOptions& executor, Clock& clock);

}  // namespace schemagate::commands
