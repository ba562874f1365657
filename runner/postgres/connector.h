#pragma once

#include <chrono>
#include <memory>
#include <random>
#include <string>

#include <pqxx/pqxx>

#include "schemagate/common/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "schemagate/common/stop_signal.h"

namespace schemagate::postgres {

struct ConnectOptions {
  std::string url;
  std::string application_name = "schemagate";
  /// How long to keep retrying while the server is unreachable or starting
  /// (an init container may start before its database). Zero: one attempt.
  std::chrono::milliseconds wait_for_db{0};
  BackoffPolicy backoff{std::chrono::milliseconds(100), std::chrono::milliseconds(5000)};
  /// Ends the retries when requested (an attempt under way ends first): a
  /// connection opened while the migration directory is read is given up
  /// when the directory turns out broken. Null: never.
  const StopSignal* stop = nullptr;
  /// Whether connect() sends session_defaults_sql() itself, a round trip of
  /// its own; false: the caller sends it with its first query.
  bool send_session_defaults = true;
};

/// Opens a connection, retrying what can heal (refused, timed out, server
/// starting up or shutting down, too many connections) with capped
/// exponential backoff and jitter until `wait_for_db` has passed. Exit 2 at
/// once for a malformed URL; exit 3 at once for what waiting cannot heal
/// (bad password, unknown database), else when time runs out. Messages name
/// the server by its redacted URL and the cause, never the password. The
/// connection never reconnects by itself: its session holds our lock.
Result<std::unique_ptr<pqxx::connection>> connect(const ConnectOptions& options, Clock& clock,
                                                  std::mt19937_64& random);

/// Why a connection whose backend was `backend_pid` was lost, asked of the
/// server on a new connection: pqxx 6 reports a session the server ended as
/// "Could not obtain client encoding", dropping the server's words.
std::string explain_lost_connection(const std::string& url, int backend_pid);

/// Session settings every runner connection carries: the server checks
/// every second that the client is still there, so a runner killed mid-
/// migration has its transaction rolled back and its lock freed at once
/// (PostgreSQL 14+; older servers ignore it).
void apply_session_defaults(pqxx::connection& connection);
/// The SET statements apply_session_defaults runs (empty for old servers).
std::string session_defaults_sql(const pqxx::connection& connection);

}  // namespace schemagate::postgres
