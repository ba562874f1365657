#include "schema/rename.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace schemagate::schema {
namespace {

const char* const kMarker = "-- schemagate:renamed-from";

// An identifier, quoted or bare, optionally schema-qualified.
const std::string kName = R"(("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))";
const std::string kQualified = kName + R"((?:\s*\.\s*)" + kName + ")?";

std::string unquote(const std::string& word) {
  if (word.size() >= 2 && word.front() == '"') {
    std::string inner = word.substr(1, word.size() - 2);
    std::string out;
    for (size_t i = 0; i < inner.size(); ++i) {
      out.push_back(inner[i]);
      if (inner[i] == '"' && i + 1 < inner.size() && inner[i + 1] == '"') ++i;
    }
    return out;
  }
  std::string lower = word;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

/// schema and name of a `kQualified` match starting at group `first`.
std::pair<std::string, std::string> qualified_name(const std::smatch& match, size_t first) {
  if (match[first + 1].matched) return {unquote(match[first]), unquote(match[first + 1])};
  return {"public", unquote(match[first])};
}

std::regex pattern(const std::string& text) { return std::regex(text, std::regex::icase); }

// std::regex recurses per character: only a line's head is matched, so a
// huge line cannot exhaust the stack. Declarations start well within it.
constexpr size_t kMatchedPrefix = 512;

bool object_exists(const Catalog& catalog, RenameKind kind, const std::string& key) {
  switch (kind) {
    case RenameKind::kTable: return catalog.tables.count(key) > 0;
    case RenameKind::kIndex: return catalog.indexes.count(key) > 0;
    case RenameKind::kView: return catalog.views.count(key) > 0;
    case RenameKind::kType: return catalog.enums.count(key) > 0 || catalog.domains.count(key) > 0;
    case RenameKind::kColumn: return false;
  }
  return false;
}

std::string alter_sql(const Catalog& from, const Rename& rename, const std::string& old_table,
                      const std::string& old_name, const std::string& new_name) {
  std::string name = qualified(rename.schema, old_name);
  std::string target = identifier(new_name);
  switch (rename.kind) {
    case RenameKind::kTable: return "ALTER TABLE " + name + " RENAME TO " + target + ";";
    case RenameKind::kColumn:
      return "ALTER TABLE " + qualified(rename.schema, old_table) + " RENAME COLUMN " +
             identifier(old_name) + " TO " + target + ";";
    case RenameKind::kIndex: return "ALTER INDEX " + name + " RENAME TO " + target + ";";
    case RenameKind::kView: {
      auto view = from.views.find(key(rename.schema, rename.old_name));
      bool materialized = view != from.views.end() && view->second.materialized;
      return std::string(materialized ? "ALTER MATERIALIZED VIEW " : "ALTER VIEW ") + name +
             " RENAME TO " + target + ";";
    }
    case RenameKind::kType: {
      bool domain = from.domains.count(key(rename.schema, rename.old_name)) > 0;
      return std::string(domain ? "ALTER DOMAIN " : "ALTER TYPE ") + name + " RENAME TO " +
             target + ";";
    }
  }
  return "";
}

/// The table a column rename's old column lives on in `from`: its table may
/// be renamed too.
std::string old_table_of(const Rename& column, const std::vector<Rename>& renames) {
  for (const Rename& rename : renames) {
    if (rename.kind == RenameKind::kTable && rename.schema == column.schema &&
        rename.new_name == column.table) {
      return rename.old_name;
    }
  }
  return column.table;
}

}  // namespace

Result<std::vector<Rename>> find_renames(const SourceFile& file) {
  std::vector<Rename> renames;
  std::optional<std::pair<std::string, std::string>> current_table;
  static const std::regex create_table = pattern(
      R"(^\s*CREATE\s+(?:(?:UNLOGGED|TEMP|TEMPORARY)\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?)" +
      kQualified);
  static const std::regex create_index = pattern(
      R"(^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?)" +
      kQualified);
  static const std::regex create_view = pattern(
      R"(^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?)" +
      kQualified);
  static const std::regex create_type = pattern(R"(^\s*CREATE\s+(?:TYPE|DOMAIN)\s+)" + kQualified);
  static const std::regex column = pattern(R"(^\s*)" + kName + R"(\s)");
  static const std::regex old_name = pattern(R"(^\s+)" + kName + R"(\s*$)");

  size_t start = 0;
  for (int number = 1; start <= file.text.size(); ++number) {
    size_t end = file.text.find('\n', start);
    if (end == std::string::npos) end = file.text.size();
    std::string line = file.text.substr(start, end - start);
    start = end + 1;
    size_t marker = line.find(kMarker);
    std::string rest = marker == std::string::npos ? "" : line.substr(marker + std::string(kMarker).size());
    line = line.substr(0, std::min({marker, line.size(), kMatchedPrefix}));
    std::smatch match;
    bool table_line = std::regex_search(line, match, create_table);
    if (table_line) current_table = qualified_name(match, 1);
    if (marker == std::string::npos) continue;

    std::string where = file.path + ":" + std::to_string(number);
    std::smatch old_match;
    if (rest.size() > kMatchedPrefix || !std::regex_match(rest, old_match, old_name)) {
      return Error(ErrorCode::kInvalid, where + ": '" + kMarker +
                                            "' must be followed by the old name alone");
    }
    Rename rename{RenameKind::kTable, "", "", unquote(old_match[1]), "", where};
    const std::string& declaration = line;
    if (table_line) {
      std::tie(rename.schema, rename.new_name) = *current_table;
    } else if (std::regex_search(declaration, match, create_index)) {
      rename.kind = RenameKind::kIndex;
      std::tie(rename.schema, rename.new_name) = qualified_name(match, 1);
    } else if (std::regex_search(declaration, match, create_view)) {
      rename.kind = RenameKind::kView;
      std::tie(rename.schema, rename.new_name) = qualified_name(match, 1);
    } else if (std::regex_search(declaration, match, create_type)) {
      rename.kind = RenameKind::kType;
      std::tie(rename.schema, rename.new_name) = qualified_name(match, 1);
    } else if (current_table && std::regex_search(declaration, match, column)) {
      rename.kind = RenameKind::kColumn;
      std::tie(rename.schema, rename.table) = *current_table;
      rename.new_name = unquote(match[1]);
    } else {
      return Error(ErrorCode::kInvalid,
                   where + ": '" + kMarker + "' must stand on the line that declares what was "
                   "renamed: CREATE TABLE, a column inside it, CREATE INDEX, CREATE VIEW, "
                   "CREATE TYPE or CREATE DOMAIN");
    }
    renames.push_back(rename);
  }
  return renames;
}

std::vector<Rename> applicable_renames(const Catalog& from, const Catalog& to,
                                       const std::vector<Rename>& renames) {
  std::vector<Rename> applicable;
  for (const Rename& rename : renames) {
    if (rename.kind == RenameKind::kColumn) continue;
    std::string before = key(rename.schema, rename.old_name);
    std::string after = key(rename.schema, rename.new_name);
    if (object_exists(from, rename.kind, before) && !object_exists(from, rename.kind, after) &&
        object_exists(to, rename.kind, after) && !object_exists(to, rename.kind, before)) {
      applicable.push_back(rename);
    }
  }
  for (const Rename& rename : renames) {
    if (rename.kind != RenameKind::kColumn) continue;
    auto old_table = from.tables.find(key(rename.schema, old_table_of(rename, applicable)));
    auto new_table = to.tables.find(key(rename.schema, rename.table));
    if (old_table == from.tables.end() || new_table == to.tables.end()) continue;
    if (old_table->second.column(rename.old_name) && !old_table->second.column(rename.new_name) &&
        new_table->second.column(rename.new_name) && !new_table->second.column(rename.old_name)) {
      applicable.push_back(rename);
    }
  }
  return applicable;
}

std::vector<Statement> rename_statements(const Catalog& from, const std::vector<Rename>& renames) {
  std::vector<Statement> statements;
  for (const Rename& rename : renames) {
    // Columns come after tables, so their table already has its new name.
    statements.push_back(
        {alter_sql(from, rename, rename.table, rename.old_name, rename.new_name), ""});
  }
  return statements;
}

std::vector<Statement> reverse_rename_statements(const Catalog& from,
                                                 const std::vector<Rename>& renames) {
  std::vector<Statement> statements;
  for (auto rename = renames.rbegin(); rename != renames.rend(); ++rename) {
    statements.push_back(
        {alter_sql(from, *rename, rename->table, rename->new_name, rename->old_name), ""});
  }
  return statements;
}

}  // namespace schemagate::schema
