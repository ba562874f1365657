#pragma once

#include <string>

namespace schemagate::postgres {

/// Why a connection attempt failed, read from libpq's message (connection
/// errors carry no SQLSTATE): only what can heal by itself is worth
/// retrying for --wait-for-db.
struct ConnectFailure {
  bool retryable = false;
  /// What it was, for the log and the error: "connection refused",
  /// "the server is starting up", ... or "not retryable".
  std::string kind;
};

ConnectFailure classify_connect_failure(const std::string& libpq_message);

}  // namespace schemagate::postgres
