#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::engine {

/// Where the URL may come from, in the order DESIGN §1 gives: the option,
/// the environment, a file (a mounted Kubernetes Secret).
struct UrlSources {
  std::optional<std::string> option;
  std::optional<std::string> environment;
  std::optional<std::string> file;
};

/// The URL to connect with, checked by ConnectionString::parse. Exit 2 when
/// none is given, the file is unreadable, or the string is malformed (the
/// error names the source: --database-url, $DATABASE_URL or the file).
Result<std::string> resolve_database_url(const UrlSources& sources);

/// A connection string (URL or key=value) as libpq's own parser reads it,
/// so that what we redact is exactly what libpq sends: hand parsing missed
/// raw '/' and '#' in passwords and bad '%' escapes.
class ConnectionString {
 public:
  /// Accepts postgresql://, postgres:// and the SQLAlchemy forms
  /// postgresql+psycopg2://, postgresql+psycopg://, postgresql+asyncpg://.
  /// Exit 2 for another scheme, a malformed string or an unknown parameter;
  /// the message never holds the password.
  static Result<ConnectionString> parse(const std::string& text);

  /// A key=value conninfo for libpq, with each of `defaults` added unless
  /// the string sets that key.
  std::string conninfo(const std::vector<std::pair<std::string, std::string>>& defaults = {}) const;
  /// The string with its password shown as `***`, in the form it was given.
  std::string redacted() const;
  /// `text` with every occurrence of the password (raw or percent-encoded)
  /// replaced by `***`.
  std::string scrub(const std::string& text) const;
  bool has(const std::string& key) const;
  std::string value(const std::string& key) const;

 private:
  std::vector<std::pair<std::string, std::string>> options_;  ///< set keys, in libpq's order
  bool url_form_ = false;
};

/// ConnectionString::redacted, or a placeholder when the string does not
/// parse: the only forms that may appear in logs and errors.
std::string redact_url(const std::string& url);

/// ConnectionString::scrub (unchanged `text` when `url` does not parse).
std::string scrub_password(const std::string& text, const std::string& url);

}  // namespace schemagate::engine
