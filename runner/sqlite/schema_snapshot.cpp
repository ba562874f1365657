#include "sqlite/schema_snapshot.h"

#include <algorithm>
#include <cctype>

#include "engine/sql_text.h"

namespace schemagate::sqlite {
namespace {

std::string text(const std::optional<std::string>& value) {
  return value ? *value : std::string("NULL");
}

/// A view's or trigger's SQL with runs of blanks made one space.
std::string normalized(const std::string& sql) {
  std::string out;
  bool blank = false;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<std::string> schema_snapshot(Connection& connection,
                                         const engine::VersionTables& tables) {
  const std::vector<std::string> own = {tables.version_table, tables.history_table,
                                        tables.version_table + "_lease"};
  std::vector<std::string> lines;
  for (const Row& object : connection.query(
           "SELECT type, name, tbl_name, sql FROM main.sqlite_schema "
           "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name")) {
    const std::string type = text(object[0]);
    const std::string name = text(object[1]);
    const std::string table = text(object[2]);
    if (std::find(own.begin(), own.end(), table) != own.end()) continue;
    const std::string literal = engine::quote_literal(name);
    if (type == "table") {
      for (const Row& column : connection.query(
               "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(" +
               literal + ")")) {
        lines.push_back("table " + name + " column " + text(column[0]) + " " + text(column[1]) +
                        (text(column[2]) == "1" ? " NOT NULL" : "") + " DEFAULT " +
                        text(column[3]) + " key " + text(column[4]) +
                        (text(column[5]) != "0" ? " generated" : ""));
      }
      for (const Row& key : connection.query(
               "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM "
               "pragma_foreign_key_list(" + literal + ") ORDER BY id, seq")) {
        lines.push_back("table " + name + " foreign key " + text(key[0]) + "." + text(key[1]) +
                        " (" + text(key[3]) + ") references " + text(key[2]) + " (" +
                        text(key[4]) + ") on update " + text(key[5]) + " on delete " +
                        text(key[6]));
      }
      // An index SQLite made for a UNIQUE or PRIMARY KEY constraint has a
      // name of its own making: it is described by its columns alone.
      for (const Row& index : connection.query(
               "SELECT l.name, l.\"unique\", l.origin, l.partial, s.sql FROM pragma_index_list(" +
               literal + ") AS l LEFT JOIN main.sqlite_schema AS s ON s.name = l.name")) {
        std::string columns;
        for (const Row& column : connection.query(
                 "SELECT coalesce(name, '<expression>') FROM pragma_index_info(" +
                 engine::quote_literal(text(index[0])) + ") ORDER BY seqno")) {
          columns += (columns.empty() ? "" : ", ") + text(column[0]);
        }
        const std::string origin = text(index[2]);
        std::string line = "table " + name + (text(index[1]) == "1" ? " unique" : "") +
                           (origin == "c" ? " index " + text(index[0])
                                          : origin == "pk" ? " primary key" : " constraint") +
                           " (" + columns + ")";
        if (text(index[3]) == "1" && index[4]) {
          const std::string sql = normalized(*index[4]);
          size_t where = sql.rfind(" WHERE ");
          if (where == std::string::npos) where = sql.rfind(" where ");
          if (where != std::string::npos) line += sql.substr(where);
        }
        lines.push_back(line);
      }
    } else if (type == "index") {
      continue;  // described with its table
    } else {
      lines.push_back(type + " " + name + " on " + table + ": " + normalized(text(object[3])));
    }
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> snapshot_differences(const std::vector<std::string>& expected,
                                              const std::vector<std::string>& actual) {
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(unexpected));
  std::vector<std::string> differences;
  for (const std::string& line : missing) differences.push_back("missing: " + line);
  for (const std::string& line : unexpected) differences.push_back("unexpected: " + line);
  return differences;
}

}  // namespace schemagate::sqlite
