// dbmate: one file per migration, `<version>_<name>.sql`, holding a
// `-- migrate:up` section and an optional `-- migrate:down` section; either
// marker may carry `transaction:false`.
#include <algorithm>
#include <regex>

#include "importers/source_history.h"

namespace schemagate::importers {
namespace fs = std::filesystem;

namespace {

struct Marker {
  bool up = true;
  size_t line_begin = 0;  ///< offset of the marker line
  size_t body_begin = 0;  ///< offset just past it
  int line = 0;           ///< its 1-based line number
  bool nontransactional = false;
};

bool only_comments(const std::string& text) {
  static const std::regex kSqlLine(R"((^|\n)[ \t\r]*[^-\s\n])");
  return !std::regex_search(text, kSqlLine);
}

/// Splits one dbmate file into its migration, or says what is wrong.
Result<SourceMigration> parse_dbmate_file(const std::string& name, const Version& version,
                                          const std::string& description,
                                          const std::string& text) {
  static const std::regex kMarker(R"(^--\s*migrate:(up|down)(.*)$)");
  static const std::regex kNoTransaction(R"((^|\s)transaction:false(\s|$))");
  std::vector<Marker> markers;
  size_t begin = 0;
  for (int line = 1; begin < text.size(); ++line) {
    size_t end = text.find('\n', begin);
    size_t next = end == std::string::npos ? text.size() : end + 1;
    std::string content = text.substr(begin, (end == std::string::npos ? text.size() : end) - begin);
    if (!content.empty() && content.back() == '\r') content.pop_back();
    std::smatch match;
    if (std::regex_match(content, match, kMarker)) {
      std::string options = match[2];
      markers.push_back({match[1] == "up", begin, next, line,
                         std::regex_search(options, kNoTransaction)});
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
  if (!only_comments(text.substr(0, markers.front().line_begin))) {
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

}  // namespace

Result<SourceHistory> read_dbmate(const fs::path& directory) {
  static const std::regex kName(R"(^([0-9]+)_(.*)\.sql$)");
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::vector<SourceMigration> migrations;
  std::vector<std::string> ignored;
  std::string problems;
  auto problem = [&](const std::string& text) { problems += (problems.empty() ? "" : "\n") + text; };
  for (const fs::path& file : files) {
    std::string name = file.filename().string();
    std::smatch match;
    if (!std::regex_match(name, match, kName)) {
      ignored.push_back(name);
      continue;
    }
    Result<Version> version = Version::parse(match[1]);
    Result<std::string> text = source::read_text(file);
    if (!version || !text) {
      problem(!text ? text.error().message() : name + ": " + version.error().message());
      continue;
    }
    Result<SourceMigration> migration =
        parse_dbmate_file(name, *version, source::description_of(match[2]), *text);
    if (!migration) {
      problem(migration.error().message());
      continue;
    }
    migrations.push_back(std::move(migration).value());
  }
  source::log_ignored(Format::kDbmate, ignored);
  return source::finish(Format::kDbmate, std::move(migrations), problems);
}

}  // namespace schemagate::importers
