#include "postgres/connector.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <utility>
#include <vector>

#include "postgres/connect_failure.h"
#include "engine/database_url.h"
#include "schemagate/common/logging.h"

namespace schemagate::postgres {

using engine::ConnectionString;
namespace {

constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

/// libpq looks for ~/.postgresql/root.crt, which a FROM-scratch image has no
/// home for; the system CA bundle (the image's only certificates) is the
/// root of trust then, as `sslrootcert=system` is in newer libpq.
bool use_system_ca_bundle(const ConnectionString& url) {
  if (url.has("sslrootcert") || std::getenv("PGSSLROOTCERT")) return false;
  const char* home = std::getenv("HOME");
  std::error_code ignored;
  if (home && std::filesystem::exists(std::string(home) + "/.postgresql/root.crt", ignored)) {
    return false;
  }
  return std::filesystem::exists(kSystemCaBundle, ignored);
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

/// libpq's message without its "connection to server ... failed:" preamble
/// when that is all the first line says.
std::string reason(const std::string& text) {
  std::string line = first_line(text);
  size_t failed = line.find("failed: ");
  if (failed != std::string::npos && line.rfind("connection to server", 0) == 0) {
    line = line.substr(failed + 8);
  }
  return line;
}

/// pqxx 6 silently reconnects a broken connection on its next use: the new
/// session would not hold our advisory lock, so a runner could go on
/// migrating unlocked. A lost connection must fail the run instead.
void forbid_reconnects(pqxx::connection& connection) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  connection.inhibit_reactivation(true);
#pragma GCC diagnostic pop
}

}  // namespace

std::string session_defaults_sql(const pqxx::connection& connection) {
  if (connection.server_version() < 140000) return "";
  return "SET client_connection_check_interval = 1000";
}

void apply_session_defaults(pqxx::connection& connection) {
  std::string sql = session_defaults_sql(connection);
  if (sql.empty()) return;
  pqxx::nontransaction session(connection);
  session.exec(sql);
}

std::string explain_lost_connection(const std::string& url, int backend_pid) {
  Result<ConnectionString> parsed = ConnectionString::parse(url);
  if (!parsed) return "";
  try {
    pqxx::connection probe(parsed->conninfo({{"connect_timeout", "5"}}));
    pqxx::nontransaction query(probe);
    pqxx::row row = query.exec1(
        "SELECT pg_postmaster_start_time()::text, EXISTS (SELECT 1 FROM pg_stat_activity "
        "WHERE pid = " + std::to_string(backend_pid) + ")");
    if (row[1].as<bool>()) return "the server is up and our backend (pid " +
                                  std::to_string(backend_pid) + ") is still there";
    return "the server ended our session (backend pid " + std::to_string(backend_pid) +
           "): it was terminated (pg_terminate_backend, a timeout, the server shutting down) "
           "or the server restarted (up since " + row[0].as<std::string>() + ")";
  } catch (const std::exception& e) {
    return "the server is not reachable now: " + parsed->scrub(reason(e.what()));
  }
}

Result<std::unique_ptr<pqxx::connection>> connect(const ConnectOptions& options, Clock& clock,
                                                  std::mt19937_64& random) {
  Result<ConnectionString> url = ConnectionString::parse(options.url);
  if (!url) return url.error();
  std::vector<std::pair<std::string, std::string>> defaults = {
      {"application_name", options.application_name}, {"connect_timeout", "10"}};
  if (use_system_ca_bundle(*url)) defaults.emplace_back("sslrootcert", kSystemCaBundle);
  const std::string conninfo = url->conninfo(defaults);
  const std::string server = url->redacted();
  const auto deadline = clock.now() + options.wait_for_db;
  std::string last_error;
  ConnectFailure failure;
  for (int attempt = 0;; ++attempt) {
    try {
      auto connection = std::make_unique<pqxx::connection>(conninfo);
      forbid_reconnects(*connection);
      if (options.send_session_defaults) apply_session_defaults(*connection);
      if (attempt > 0) log::info("database reachable", {{"server", server}, {"attempts", attempt + 1}});
      return connection;
    } catch (const std::exception& e) {
      last_error = url->scrub(reason(e.what()));
      failure = classify_connect_failure(e.what());
    }
    if (!failure.retryable) {
      return Error(ErrorCode::kUnreachable,
                   "cannot connect to " + server + ": " + last_error +
                       " (not retried: this does not heal by waiting; check the URL, the "
                       "credentials and pg_hba.conf on the server)");
    }
    auto now = clock.now();
    if (now >= deadline) break;
    auto delay = std::min(options.backoff.delay(attempt, random),
                          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                              std::chrono::milliseconds(1));
    log::warn("database not reachable yet, retrying",
              {{"server", server}, {"cause", failure.kind}, {"error", last_error},
               {"retry_in_ms", int64_t(delay.count())}});
    static const StopSignal never;
    if (!clock.sleep_for(delay, options.stop ? *options.stop : never)) {
      return Error(ErrorCode::kUnreachable, "cannot connect to " + server + ": " + failure.kind +
                                                ": " + last_error + " (given up: not needed)");
    }
  }
  std::string advice = options.wait_for_db.count() > 0
                           ? "gave up after --wait-for-db " +
                                 std::to_string(options.wait_for_db.count() / 1000) + "s"
                           : "pass --wait-for-db SECONDS to wait for a server that is starting";
  return Error(ErrorCode::kUnreachable, "cannot connect to " + server + ": " + failure.kind +
                                            ": " + last_error + " (" + advice + ")");
}

}  // namespace schemagate::postgres
