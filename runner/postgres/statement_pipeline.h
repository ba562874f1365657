#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <libpq-fe.h>
#include <pqxx/pqxx>

namespace schemagate::postgres {

/// The libpq connection under `tx`'s pqxx connection, for what libpqxx 6
/// cannot do itself (libpq's pipeline mode). Valid as long as the pqxx
/// connection lives: the runner forbids it to reconnect (connector.cpp).
PGconn* libpq_connection(const pqxx::dbtransaction& tx);

/// What became of statements sent together (run_pipelined).
struct PipelineOutcome {
  /// How many statements, from the first, ran to completion.
  size_t completed = 0;
  /// The failure of statement number `completed` (0-based), when one
  /// failed: the server skipped every statement after it.
  std::optional<pqxx::sql_error> error;
  /// The rows each statement that ran inserted, updated, deleted or
  /// returned (libpq's PQcmdTuples); -1 for a statement without a count.
  std::vector<int64_t> affected_rows;
};

/// Sends `statements` in one write and one round trip, and reads their
/// results in order: libpq's pipeline mode, each statement its own
/// extended-protocol query, one Sync after the last. Each result and each
/// error belongs to its own statement as if it had been sent alone: the
/// server's error position (libpq's "LINE n:") is within that statement,
/// and pg_stat_activity shows the statement running, not the batch. After
/// an error the server skips the rest up to the Sync; an explicit
/// transaction opened by the statements stays open, aborted, for the
/// caller to roll back. No statement may be COPY (not allowed in a
/// pipeline) or hold more than one statement (refused by the protocol).
/// Throws pqxx::broken_connection when the connection is lost.
PipelineOutcome run_pipelined(PGconn* connection, const std::vector<std::string>& statements);

}  // namespace schemagate::postgres
