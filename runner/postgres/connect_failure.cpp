#include "postgres/connect_failure.h"

namespace schemagate::postgres {
namespace {

struct Pattern {
  const char* text;
  const char* kind;
};

/// libpq's and the server's own words (libpq and PostgreSQL 12-17).
constexpr Pattern kHealable[] = {
    {"Connection refused", "connection refused"},
    {"timeout expired", "connection timed out"},
    {"Connection timed out", "connection timed out"},
    {"No route to host", "no route to host yet"},
    {"Network is unreachable", "network unreachable yet"},
    {"Temporary failure in name resolution", "host name lookup failed for now"},
    {"the database system is starting up", "the server is starting up"},
    {"the database system is not yet accepting connections", "the server is starting up"},
    {"the database system is in recovery mode", "the server is recovering"},
    {"the database system is shutting down", "the server is shutting down"},
    {"server closed the connection unexpectedly", "the server closed the connection"},
    {"too many clients already", "too many connections"},
    {"remaining connection slots are reserved", "too many connections"},
    {"too many connections for", "too many connections"},
};

}  // namespace

ConnectFailure classify_connect_failure(const std::string& libpq_message) {
  for (const Pattern& pattern : kHealable) {
    if (libpq_message.find(pattern.text) != std::string::npos) return {true, pattern.kind};
  }
  return {false, "not retryable"};
}

}  // namespace schemagate::postgres
