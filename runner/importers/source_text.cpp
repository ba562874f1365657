#include "importers/source_text.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace schemagate::importers {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
/// What `\s` matches in the tools' own (ECMAScript-like) patterns.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// The tools' patterns read names with `.`, which stops at line breaks; a name
/// holding one would also break the header of the file the import writes.
bool single_line(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos;
}

size_t digits_at(std::string_view text, size_t at) {
  size_t end = at;
  while (end < text.size() && is_digit(text[end])) ++end;
  return end - at;
}

/// `<digits>_<rest>` with `rest` ending in `suffix`.
std::optional<NameParts> digits_underscore(std::string_view name, std::string_view suffix) {
  if (!single_line(name) || !ends_with(name, suffix)) return std::nullopt;
  size_t digits = digits_at(name, 0);
  if (digits == 0 || digits >= name.size() || name[digits] != '_') return std::nullopt;
  size_t rest = digits + 1;
  if (rest + suffix.size() > name.size()) return std::nullopt;
  return NameParts{std::string(name.substr(0, digits)),
                   std::string(name.substr(rest, name.size() - suffix.size() - rest)), ""};
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool consume(std::string_view& text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  return true;
}

/// A dbmate marker line: `--`, blanks, `migrate:up` or `migrate:down`, options.
struct Marker {
  bool up = true;
  size_t line_begin = 0;  ///< offset of the marker line
  size_t body_begin = 0;  ///< offset just past it
  int line = 0;           ///< its 1-based line number
  bool nontransactional = false;
};

bool parse_marker(std::string_view line, Marker& marker) {
  if (!consume(line, "--")) return false;
  while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
  if (!consume(line, "migrate:")) return false;
  if (consume(line, "up")) {
    marker.up = true;
  } else if (consume(line, "down")) {
    marker.up = false;
  } else {
    return false;
  }
  // The options are blank-separated words; `transaction:false` is the one read.
  while (!line.empty()) {
    while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
    size_t word = 0;
    while (word < line.size() && !is_space(line[word])) ++word;
    if (line.substr(0, word) == "transaction:false") marker.nontransactional = true;
    line.remove_prefix(word);
  }
  return true;
}

/// Whether every line is blank or starts (after blanks) with `-`.
bool only_comments(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    size_t at = begin;
    while (at < end && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r')) ++at;
    if (at < end && text[at] != '-' && !is_space(text[at])) return false;
    begin = end + 1;
  }
  return true;
}

}  // namespace

std::optional<NameParts> parse_golang_migrate_name(std::string_view name) {
  for (const char* kind : {"up", "down"}) {
    std::string suffix = std::string(".") + kind + ".sql";
    if (auto parts = digits_underscore(name, suffix)) {
      parts->kind = kind;
      return parts;
    }
  }
  return std::nullopt;
}

std::optional<NameParts> parse_dbmate_name(std::string_view name) {
  return digits_underscore(name, ".sql");
}

std::optional<NameParts> parse_flyway_name(std::string_view name) {
  if (name.empty() || (name[0] != 'V' && name[0] != 'U')) return std::nullopt;
  if (!single_line(name) || !ends_with(name, ".sql")) return std::nullopt;
  size_t at = 1;
  size_t digits = digits_at(name, at);
  if (digits == 0) return std::nullopt;
  at += digits;
  while (at + 1 < name.size() && (name[at] == '.' || name[at] == '_') && is_digit(name[at + 1])) {
    at += 1 + digits_at(name, at + 1);
  }
  if (name.substr(at, 2) != "__") return std::nullopt;
  size_t rest = at + 2;
  if (rest + 4 > name.size()) return std::nullopt;
  return NameParts{std::string(name.substr(1, at - 1)),
                   std::string(name.substr(rest, name.size() - 4 - rest)), std::string(1, name[0])};
}

bool is_flyway_repeatable_name(std::string_view name) {
  return single_line(name) && name.substr(0, 3) == "R__" && name.size() >= 7 &&
         ends_with(name, ".sql");
}

std::optional<NameParts> parse_diesel_name(std::string_view name) {
  if (!single_line(name) || name.empty() || !is_digit(name[0])) return std::nullopt;
  size_t at = 0;
  while (at < name.size() && (is_digit(name[at]) || name[at] == '-')) ++at;
  if (at == name.size() || name[at] != '_') return std::nullopt;
  return NameParts{std::string(name.substr(0, at)), std::string(name.substr(at + 1)), ""};
}

Result<SourceMigration> parse_dbmate_text(const std::string& name, const Version& version,
                                          const std::string& description,
                                          const std::string& text) {
  std::vector<Marker> markers;
  size_t begin = 0;
  for (int line = 1; begin < text.size(); ++line) {
    size_t end = text.find('\n', begin);
    size_t next = end == std::string::npos ? text.size() : end + 1;
    std::string_view content(text.data() + begin,
                             (end == std::string::npos ? text.size() : end) - begin);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    Marker marker;
    if (parse_marker(content, marker)) {
      marker.line_begin = begin;
      marker.body_begin = next;
      marker.line = line;
      markers.push_back(marker);
    }
    begin = next;
  }
  auto fail = [&](int line, const std::string& message) {
    return Error(ErrorCode::kInvalid, name + ":" + std::to_string(line) + ": " + message);
  };
  auto ups = static_cast<size_t>(
      std::count_if(markers.begin(), markers.end(), [](const Marker& m) { return m.up; }));
  if (ups != 1 || markers.size() - ups > 1) {
    return fail(markers.empty() ? 1 : markers.back().line,
                "a dbmate migration holds one '-- migrate:up' and at most one '-- migrate:down' "
                "marker line");
  }
  if (!only_comments(std::string_view(text).substr(0, markers.front().line_begin))) {
    return fail(1, "SQL before the first '-- migrate:' marker belongs to no section; move it "
                   "below '-- migrate:up'");
  }
  SourceMigration migration{version, description, {}, std::nullopt, false};
  for (size_t i = 0; i < markers.size(); ++i) {
    size_t body_end = i + 1 < markers.size() ? markers[i + 1].line_begin : text.size();
    SourceBody body{text.substr(markers[i].body_begin, body_end - markers[i].body_begin), name,
                    markers[i].line + 1};
    if (markers[i].up) {
      migration.up = std::move(body);
    } else {
      migration.down = std::move(body);
    }
    migration.declared_nontransactional |= markers[i].nontransactional;
  }
  return migration;
}

Result<FlywayScriptConfig> parse_flyway_script_config(const std::string& name,
                                                      std::string_view text) {
  FlywayScriptConfig config;
  int number = 0;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = std::min(text.find('\n', begin), text.size());
    std::string_view line = trim(text.substr(begin, end - begin));
    begin = end + 1;
    ++number;
    if (line.empty() || line.front() == '#') continue;
    auto fail = [&](const std::string& message) {
      return Error(ErrorCode::kInvalid, name + ":" + std::to_string(number) + ": " + message);
    };
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) return fail("expected key=value");
    std::string key(trim(line.substr(0, equals)));
    std::string value(trim(line.substr(equals + 1)));
    if (key == "executeInTransaction" && (value == "true" || value == "false")) {
      config.nontransactional = value == "false";
    } else if (key == "encoding") {
      std::string upper;
      for (char c : value) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      if (upper != "UTF-8" && upper != "UTF8") {
        return fail("encoding " + value + ": the import reads SQL as UTF-8; convert the file "
                    "(iconv) and drop this line");
      }
    } else {
      return fail("Flyway script option '" + key + "=" + value +
                  "' is not supported by the import (known: executeInTransaction=true|false, "
                  "encoding=UTF-8); remove it, doing by hand what it asked for");
    }
  }
  return config;
}

std::optional<Placeholder> find_flyway_placeholder(std::string_view sql) {
  size_t at = sql.find("${");
  if (at == std::string_view::npos) return std::nullopt;
  size_t close = sql.find('}', at);
  size_t end = close == std::string_view::npos || close - at > 80 ? std::min(sql.size(), at + 20)
                                                                  : close + 1;
  std::string text(sql.substr(at, end - at));
  if (!single_line(text)) text = text.substr(0, text.find_first_of("\r\n"));
  return Placeholder{at, text};
}

bool diesel_runs_outside_transaction(std::string_view metadata) {
  size_t begin = 0;
  while (begin < metadata.size()) {
    size_t end = metadata.find('\n', begin);
    if (end == std::string_view::npos) end = metadata.size();
    std::string_view line = metadata.substr(begin, end - begin);
    begin = end + 1;
    size_t comment = line.find('#');
    line = trim(line.substr(0, comment));
    if (!consume(line, "run_in_transaction")) continue;
    line = trim(line);
    if (!consume(line, "=")) continue;
    if (trim(line) == "false") return true;
  }
  return false;
}

}  // namespace schemagate::importers
