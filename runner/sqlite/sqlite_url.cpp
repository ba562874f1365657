#include "sqlite/sqlite_url.h"

#include <cctype>

namespace schemagate::sqlite {
namespace {

constexpr const char* kForms =
    "write sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite:///:memory:";

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Error invalid(std::string text, const std::string& why) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  }
  return Error(ErrorCode::kInvalid, "the SQLite URL '" + text + "' " + why + ": " + kForms);
}

}  // namespace

bool is_sqlite_url(const std::string& text) {
  size_t colon = text.find(':');
  if (colon == std::string::npos) return false;
  std::string scheme = lowercase(text.substr(0, colon));
  return scheme == "sqlite" || scheme.rfind("sqlite+", 0) == 0;
}

Result<SqliteUrl> parse_sqlite_url(const std::string& text) {
  if (!is_sqlite_url(text)) return invalid(text, "does not start with sqlite:");
  size_t colon = text.find(':');
  std::string scheme = lowercase(text.substr(0, colon));
  if (scheme == "sqlite+pysqlcipher") {
    return invalid(text, "names an encrypted database (pysqlcipher), which Debian's libsqlite3 "
                         "cannot open");
  }
  for (char c : scheme.substr(6)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '+') {
      return invalid(text, "has a driver name '" + scheme.substr(7) +
                               "' that is not letters and digits");
    }
  }
  std::string rest = text.substr(colon + 1);
  if (rest.compare(0, 2, "//") != 0) {
    return invalid(text, "lacks the \"//\" after \"" + text.substr(0, colon + 1) + "\"");
  }
  rest = rest.substr(2);
  size_t slash = rest.find('/');
  std::string host = rest.substr(0, slash);
  if (!host.empty()) {
    return invalid(text, "names a host '" + host +
                             "': a SQLite database is a local file, so the part after "
                             "\"sqlite://\" is empty and the path starts at the third '/'");
  }
  if (slash == std::string::npos || slash + 1 == rest.size()) {
    return invalid(text, "has no database path (an unset variable in the URL?)");
  }
  std::string path = rest.substr(slash + 1);
  size_t query = path.find('?');
  if (query != std::string::npos) {
    std::string parameter = path.substr(query + 1, path.find_first_of("=&", query + 1) -
                                                       query - 1);
    return invalid(text, "has a query parameter '" + parameter +
                             "', which schemagate does not take for SQLite (it sets the busy "
                             "timeout from --lock-timeout itself); drop \"?" +
                             path.substr(query + 1) + "\"");
  }
  for (char c : path) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return invalid(text, "holds a control character in its path");
    }
  }
  SqliteUrl url;
  url.memory = path == ":memory:";
  url.path = path;
  return url;
}

}  // namespace schemagate::sqlite
