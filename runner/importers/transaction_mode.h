#pragma once

#include "importers/source_history.h"
#include "schemagate/common/result.h"

namespace schemagate::importers {

/// How the runner should run an imported migration.
struct TransactionMode {
  bool transactional = true;
  bool wrapped_transaction = false;  ///< a body opens and closes its own transaction
};

/// Picks the mode from what the bodies hold, with PostgreSQL's parser, so
/// that no file needs editing:
/// - ordinary statements: transactional, as the other tools ran them;
/// - a body that opens with BEGIN and ends with COMMIT/END: transactional,
///   wrapped (the runner drops the pair and uses its own transaction);
/// - a statement that cannot run in a transaction (CREATE INDEX
///   CONCURRENTLY), or the tool's own opt-out: not transactional.
/// Errors, naming file and line: a body mixing its own transaction with such
/// a statement, transaction control anywhere else, psql meta-commands.
Result<TransactionMode> detect_transaction_mode(const SourceMigration& migration);

}  // namespace schemagate::importers
