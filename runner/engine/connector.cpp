#include "engine/connector.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "engine/database_url.h"
#include "engine/pause.h"
#include "schemagate/common/logging.h"

namespace schemagate::engine {
namespace {

constexpr const char* kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

/// libpq looks for ~/.postgresql/root.crt, which a FROM-scratch image has no
/// home for; the system CA bundle (the image's only certificates) is the
/// root of trust then, as `sslrootcert=system` is in newer libpq.
bool use_system_ca_bundle(const std::string& url) {
  if (url.find("sslrootcert") != std::string::npos || std::getenv("PGSSLROOTCERT")) return false;
  const char* home = std::getenv("HOME");
  std::error_code ignored;
  if (home && std::filesystem::exists(std::string(home) + "/.postgresql/root.crt", ignored)) {
    return false;
  }
  return std::filesystem::exists(kSystemCaBundle, ignored);
}

std::string conninfo_for(const ConnectOptions& options) {
  std::string url = with_application_name(options.url, options.application_name);
  if (url.find("://") == std::string::npos) return url;
  auto append = [&url](const std::string& parameter) {
    url += (url.find('?') == std::string::npos ? "?" : "&") + parameter;
  };
  if (url.find("connect_timeout") == std::string::npos) append("connect_timeout=10");
  if (use_system_ca_bundle(url)) append(std::string("sslrootcert=") + kSystemCaBundle);
  return url;
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
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

Result<std::unique_ptr<pqxx::connection>> connect(const ConnectOptions& options, Clock& clock,
                                                  std::mt19937_64& random) {
  const std::string conninfo = conninfo_for(options);
  const std::string server = redact_url(options.url);
  const auto deadline = clock.now() + options.wait_for_db;
  std::string last_error;
  for (int attempt = 0;; ++attempt) {
    try {
      auto connection = std::make_unique<pqxx::connection>(conninfo);
      apply_session_defaults(*connection);
      if (attempt > 0) log::info("database reachable", {{"server", server}, {"attempts", attempt + 1}});
      return connection;
    } catch (const std::exception& e) {
      last_error = scrub_password(first_line(e.what()), options.url);
    }
    auto now = clock.now();
    if (now >= deadline) break;
    auto delay = std::min(options.backoff.delay(attempt, random),
                          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                              std::chrono::milliseconds(1));
    log::warn("database not reachable yet, retrying",
              {{"server", server}, {"error", last_error}, {"retry_in_ms", int64_t(delay.count())}});
    pause(clock, delay);
  }
  std::string advice = options.wait_for_db.count() > 0
                           ? "gave up after --wait-for-db " +
                                 std::to_string(options.wait_for_db.count() / 1000) + "s"
                           : "pass --wait-for-db SECONDS to wait for a server that is starting";
  return Error(ErrorCode::kUnreachable,
               "cannot connect to " + server + ": " + last_error + " (" + advice + ")");
}

}  // namespace schemagate::engine
