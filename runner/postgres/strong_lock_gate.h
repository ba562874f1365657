#pragma once

#include "engine/database.h"
#include "postgres/executor.h"
#include "schemagate/common/clock.h"

namespace schemagate::postgres {

/// The executor's statement gate of `upgrade --safety-checks`. Before a
/// statement that takes SHARE or stronger on a table, it looks for other
/// sessions holding a lock on that table that are idle in a transaction or
/// have been in one longer than the statement lock_timeout: the statement
/// would queue behind them while every later query on the table queued
/// behind it. It waits for them outside the lock queue, as long as the
/// runner's lock_timeout retries would have waited in it, then stops the
/// migration (exit 1, rolled back) naming them.
StatementGate strong_lock_gate(const engine::ExecutorOptions& executor, Clock& clock);

}  // namespace schemagate::postgres
