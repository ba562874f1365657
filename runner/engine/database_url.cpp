#include "engine/database_url.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstdio>
#include <memory>

#include "schemagate/common/files.h"
#include "sqlite/sqlite_url.h"

namespace schemagate::engine {
namespace {

// A URL is short; the bound stops a wrong path such as /dev/zero at once.
constexpr size_t kMaxUrlFileBytes = 64 * 1024;

constexpr const char* kAcceptedSchemes[] = {"postgresql", "postgres", "postgresql+psycopg2",
                                            "postgresql+psycopg", "postgresql+asyncpg"};

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool is_scheme(const std::string& text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (unsigned char c : text) {
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

bool is_identifier(const std::string& text) {
  if (text.empty() || text.size() > 63) return false;
  for (unsigned char c : text) {
    if (!std::isalnum(c) && c != '_') return false;
  }
  return true;
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

std::string quote_conninfo_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

/// libpq quotes pieces of the string in its parse errors; those pieces may
/// be parts of the password. Only an unknown parameter's name is kept.
std::string sanitize_parse_error(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const bool names_parameter = message.rfind("invalid connection option", 0) == 0 ||
                               message.rfind("invalid URI query parameter", 0) == 0;
  std::string out;
  size_t position = 0;
  while (position < message.size()) {
    size_t open = message.find('"', position);
    size_t close = open == std::string::npos ? open : message.find('"', open + 1);
    if (close == std::string::npos) {
      out += message.substr(position);
      break;
    }
    std::string token = message.substr(open + 1, close - open - 1);
    // One-character tokens are libpq's own punctuation ("=", "]").
    bool keep = token.size() == 1 || (names_parameter && is_identifier(token));
    out += message.substr(position, open - position) + "\"" + (keep ? token : "...") + "\"";
    position = close + 1;
  }
  return out;
}

/// libpq ends the user and password at the first '@' or '/': a raw one in
/// the password would make its tail the host or the database name, which
/// are printed. Refuse such a URL rather than show any of it.
Status check_userinfo(const std::string& url) {
  size_t begin = url.find("://") + 3;
  size_t query = url.find('?', begin);
  std::string before_query = url.substr(begin, query == std::string::npos ? query : query - begin);
  size_t first_at = before_query.find('@');
  if (first_at == std::string::npos) return {};
  size_t first_slash = before_query.find('/');
  bool slash_before_at = first_slash != std::string::npos && first_slash < first_at;
  bool second_at = before_query.find('@', first_at + 1) != std::string::npos;
  if (!slash_before_at && !second_at) return {};
  return Error(ErrorCode::kInvalid,
               "the URL's user or password holds a raw '@' or '/' (or its database name an "
               "'@'): percent-encode them as %40 and %2F; the URL is not shown since it holds "
               "the password");
}

}  // namespace

Result<ConnectionString> ConnectionString::parse(const std::string& text) {
  ConnectionString parsed;
  std::string normalized = text;
  size_t separator = text.find("://");
  if (separator != std::string::npos && is_scheme(text.substr(0, separator))) {
    std::string scheme = lowercase(text.substr(0, separator));
    bool accepted = false;
    for (const char* known : kAcceptedSchemes) accepted = accepted || scheme == known;
    if (!accepted) {
      return Error(ErrorCode::kInvalid,
                   "the URL's scheme '" + scheme +
                       "' is neither PostgreSQL nor SQLite: use postgresql:// (postgres://, "
                       "postgresql+psycopg2://, postgresql+psycopg:// and postgresql+asyncpg:// "
                       "are accepted too) or sqlite:///path.db");
    }
    normalized = "postgresql" + text.substr(separator);
    Status userinfo = check_userinfo(normalized);
    if (!userinfo) return userinfo.error();
    parsed.url_form_ = true;
  }
  char* raw_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(normalized.c_str(), &raw_error);
  if (!options) {
    std::string message = raw_error ? sanitize_parse_error(raw_error) : "out of memory";
    PQfreemem(raw_error);
    return Error(ErrorCode::kInvalid,
                 "libpq cannot parse the connection string: " + message +
                     " (parts that may hold the password are shown as \"...\"); fix it, see "
                     "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING");
  }
  for (PQconninfoOption* option = options; option->keyword; ++option) {
    if (option->val) parsed.options_.emplace_back(option->keyword, option->val);
  }
  PQconninfoFree(options);
  return parsed;
}

bool ConnectionString::has(const std::string& key) const {
  for (const auto& option : options_) {
    if (option.first == key) return true;
  }
  return false;
}

std::string ConnectionString::value(const std::string& key) const {
  for (const auto& option : options_) {
    if (option.first == key) return option.second;
  }
  return "";
}

std::string ConnectionString::conninfo(
    const std::vector<std::pair<std::string, std::string>>& defaults) const {
  std::string out;
  auto append = [&out](const std::string& key, const std::string& value) {
    out += (out.empty() ? "" : " ") + key + "=" + quote_conninfo_value(value);
  };
  for (const auto& option : options_) append(option.first, option.second);
  for (const auto& option : defaults) {
    if (!has(option.first)) append(option.first, option.second);
  }
  return out;
}

std::string ConnectionString::redacted() const {
  auto shown = [](const std::pair<std::string, std::string>& option) {
    return option.first == "password" ? std::string("***") : option.second;
  };
  if (!url_form_) {
    std::string out;
    for (const auto& option : options_) {
      out += (out.empty() ? "" : " ") + option.first + "=" + quote_conninfo_value(shown(option));
    }
    return out;
  }
  const std::string host = value("host");
  // A socket directory or a host list goes to the query, like any other key.
  const bool host_in_authority = host.find('/') == std::string::npos &&
                                 host.find(',') == std::string::npos &&
                                 value("port").find(',') == std::string::npos;
  std::string out = "postgresql://";
  if (has("user") || has("password")) {
    out += percent_encode(value("user")) + (has("password") ? ":***" : "") + "@";
  }
  if (host_in_authority) {
    out += host.find(':') == std::string::npos ? percent_encode(host) : "[" + host + "]";
    if (has("port")) out += ":" + percent_encode(value("port"));
  }
  if (has("dbname")) out += "/" + percent_encode(value("dbname"));
  std::string query;
  for (const auto& option : options_) {
    const std::string& key = option.first;
    if (key == "user" || key == "password" || key == "dbname") continue;
    if (host_in_authority && (key == "host" || key == "port")) continue;
    query += (query.empty() ? "?" : "&") + key + "=" + percent_encode(shown(option));
  }
  return out + query;
}

std::string ConnectionString::scrub(const std::string& text) const {
  const std::string password = value("password");
  if (password.empty()) return text;
  std::string out = text;
  for (const std::string& needle : {password, percent_encode(password)}) {
    size_t position = 0;
    while ((position = out.find(needle, position)) != std::string::npos) {
      // A password of a few characters is replaced where it stands alone,
      // not inside every word that happens to contain it.
      auto is_word = [&out](size_t at) {
        return at < out.size() && std::isalnum(static_cast<unsigned char>(out[at]));
      };
      bool alone = !(position > 0 && is_word(position - 1)) && !is_word(position + needle.size());
      if (needle.size() >= 4 || alone) {
        out.replace(position, needle.size(), "***");
        position += 3;
      } else {
        position += needle.size();
      }
    }
  }
  return out;
}

std::string redact_url(const std::string& url) {
  // A SQLite URL is a file path: no password to hide.
  if (sqlite::is_sqlite_url(url)) return url;
  Result<ConnectionString> parsed = ConnectionString::parse(url);
  return parsed ? parsed->redacted() : "(a connection string that does not parse, not shown)";
}

std::string scrub_password(const std::string& text, const std::string& url) {
  if (sqlite::is_sqlite_url(url)) return text;
  Result<ConnectionString> parsed = ConnectionString::parse(url);
  return parsed ? parsed->scrub(text) : text;
}

Result<std::string> resolve_database_url(const UrlSources& sources) {
  std::string url;
  std::string source;
  if (sources.option && !sources.option->empty()) {
    url = *sources.option;
    source = "--database-url";
  } else if (sources.environment && !sources.environment->empty()) {
    url = *sources.environment;
    source = "$DATABASE_URL";
  } else if (sources.file) {
    source = "--database-url-file " + *sources.file;
    Result<std::string> text = files::read_file(*sources.file, kMaxUrlFileBytes);
    if (!text) {
      return Error(ErrorCode::kInvalid, "--database-url-file " + text.error().message() +
                                            " (check the path and the Secret mount)");
    }
    url = std::move(text).value();
    while (!url.empty() && (url.back() == '\n' || url.back() == '\r' || url.back() == ' ')) {
      url.pop_back();
    }
    if (url.empty()) return Error(ErrorCode::kInvalid, source + " is empty");
  } else {
    return Error(ErrorCode::kInvalid,
                 "no database URL: pass --database-url, set $DATABASE_URL, or pass "
                 "--database-url-file (e.g. a mounted Secret)");
  }
  if (sqlite::is_sqlite_url(url)) {
    Result<sqlite::SqliteUrl> file = sqlite::parse_sqlite_url(url);
    if (!file) return file.error().with_context(source);
    return url;
  }
  Result<ConnectionString> parsed = ConnectionString::parse(url);
  if (!parsed) return parsed.error().with_context(source);
  return url;
}

}  // namespace schemagate::engine
