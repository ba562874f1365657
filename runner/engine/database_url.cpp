#include "engine/database_url.h"

#include <cctype>
#include <cstdio>

#include "schemagate/common/files.h"

namespace schemagate::engine {
namespace {

constexpr size_t kMaxUrlFileBytes = 64 * 1024;

/// Bounds of the `user:password@` part of a postgres:// URL.
struct Userinfo {
  size_t begin = std::string::npos;  ///< first character after "://"
  size_t at = std::string::npos;     ///< the '@' ending the userinfo
};

Userinfo find_userinfo(const std::string& url) {
  Userinfo info;
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return info;
  info.begin = scheme + 3;
  size_t end = url.find_first_of("/?#", info.begin);
  // The last '@' before the path ends the userinfo: passwords may hold '@'
  // only percent-encoded, but be lenient with raw ones.
  size_t at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
  if (at != std::string::npos && at >= info.begin) info.at = at;
  return info;
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      std::string hex = text.substr(i + 1, 2);
      if (isxdigit(static_cast<unsigned char>(hex[0])) &&
          isxdigit(static_cast<unsigned char>(hex[1]))) {
        out.push_back(static_cast<char>(std::stoi(hex, nullptr, 16)));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string trim_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

void replace_all(std::string& text, const std::string& needle, const std::string& replacement) {
  if (needle.empty()) return;
  size_t position = 0;
  while ((position = text.find(needle, position)) != std::string::npos) {
    text.replace(position, needle.size(), replacement);
    position += replacement.size();
  }
}

}  // namespace

Result<std::string> resolve_database_url(const UrlSources& sources) {
  if (sources.option && !sources.option->empty()) return *sources.option;
  if (sources.environment && !sources.environment->empty()) return *sources.environment;
  if (sources.file) {
    // A URL is short; the bound stops a wrong path such as /dev/zero at once.
    Result<std::string> text = files::read_file(*sources.file, kMaxUrlFileBytes);
    if (!text) {
      return Error(ErrorCode::kInvalid, "--database-url-file " + text.error().message() +
                                            " (check the path and the Secret mount)");
    }
    std::string url = trim_newlines(std::move(text).value());
    if (url.empty()) {
      return Error(ErrorCode::kInvalid, "--database-url-file " + *sources.file + " is empty");
    }
    return url;
  }
  return Error(ErrorCode::kInvalid,
               "no database URL: pass --database-url, set $DATABASE_URL, or pass "
               "--database-url-file (e.g. a mounted Secret)");
}

std::string redact_url(const std::string& url) {
  Userinfo info = find_userinfo(url);
  std::string out = url;
  if (info.at != std::string::npos) {
    std::string userinfo = url.substr(info.begin, info.at - info.begin);
    size_t colon = userinfo.find(':');
    if (colon != std::string::npos) {
      out = url.substr(0, info.begin) + userinfo.substr(0, colon) + ":***" + url.substr(info.at);
    }
  }
  // A password may also be passed as a query parameter.
  size_t parameter = out.find("password=");
  if (parameter != std::string::npos) {
    size_t end = out.find('&', parameter);
    out.replace(parameter + 9, (end == std::string::npos ? out.size() : end) - parameter - 9, "***");
  }
  return out;
}

std::string scrub_password(const std::string& text, const std::string& url) {
  std::string out = text;
  Userinfo info = find_userinfo(url);
  if (info.at != std::string::npos) {
    std::string userinfo = url.substr(info.begin, info.at - info.begin);
    size_t colon = userinfo.find(':');
    if (colon != std::string::npos) {
      std::string raw = userinfo.substr(colon + 1);
      replace_all(out, raw, "***");
      replace_all(out, percent_decode(raw), "***");
    }
  }
  return out;
}

std::string with_application_name(const std::string& url, const std::string& name) {
  if (url.find("application_name=") != std::string::npos) return url;
  if (url.find("://") == std::string::npos) {
    return url + " application_name='" + name + "'";  // key=value conninfo
  }
  std::string encoded;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/') {
      encoded.push_back(static_cast<char>(c));
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      encoded += buffer;
    }
  }
  size_t fragment = url.find('#');
  std::string base = url.substr(0, fragment);
  base += (base.find('?') == std::string::npos ? "?" : "&");
  base += "application_name=" + encoded;
  return fragment == std::string::npos ? base : base + url.substr(fragment);
}

}  // namespace schemagate::engine
