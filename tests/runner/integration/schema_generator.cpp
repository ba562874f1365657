#include "runner/integration/schema_generator.h"

#include <algorithm>

namespace schemagate::testing {
namespace {

const std::vector<std::string> kNumbers = {"smallint", "integer", "bigint", "numeric(10,2)",
                                           "numeric(12,2)"};
const std::vector<std::string> kTexts = {"text", "character varying(20)",
                                         "character varying(40)"};
const std::vector<std::string> kOthers = {"boolean", "date", "timestamp with time zone"};

bool among(const std::vector<std::string>& family, const std::string& type) {
  return std::find(family.begin(), family.end(), type) != family.end();
}

template <typename T, typename Predicate>
void erase_if(std::vector<T>& items, Predicate predicate) {
  items.erase(std::remove_if(items.begin(), items.end(), predicate), items.end());
}

bool enum_used(const GeneratedSchema& schema, const std::string& type) {
  for (const GeneratedTable& table : schema.tables) {
    for (const GeneratedColumn& column : table.columns) {
      if (column.type == type) return true;
    }
  }
  return false;
}

std::string default_for(const GeneratedSchema& schema, const std::string& type) {
  if (among(kNumbers, type)) return "7";
  if (among(kTexts, type)) return "'x'";
  if (type == "boolean") return "false";
  if (type == "date") return "CURRENT_DATE";
  if (type == "timestamp with time zone") return "now()";
  for (const auto& [name, values] : schema.enums) {
    if (name == type) return "'" + values.front() + "'";
  }
  return "1";  // a domain over integer
}

}  // namespace

std::string SchemaGenerator::column_type(const GeneratedSchema& schema) {
  int kind = pick(10);
  if (kind < 4) return kNumbers[pick(int(kNumbers.size()))];
  if (kind < 7) return kTexts[pick(int(kTexts.size()))];
  if (kind < 8 && !schema.enums.empty()) return schema.enums[pick(int(schema.enums.size()))].first;
  if (kind < 9 && !schema.domains.empty()) {
    return schema.domains[pick(int(schema.domains.size()))].first;
  }
  return kOthers[pick(int(kOthers.size()))];
}

GeneratedColumn SchemaGenerator::column(const GeneratedSchema& schema) {
  GeneratedColumn column;
  column.name = fresh("c");
  column.type = column_type(schema);
  column.not_null = chance(30);
  if (chance(25)) column.default_sql = default_for(schema, column.type);
  if ((column.type == "integer" || column.type == "bigint") && column.default_sql.empty() &&
      chance(15)) {
    column.identity = true;
    column.not_null = true;
  }
  if (chance(10)) column.comment = "about " + column.name;
  return column;
}

GeneratedTable SchemaGenerator::table(GeneratedSchema& schema) {
  GeneratedTable table;
  table.name = fresh("t");
  table.serial_id = chance(40);
  for (int i = 0, count = 1 + pick(4); i < count; ++i) table.columns.push_back(column(schema));
  if (chance(20)) table.comment = "table " + table.name;
  for (int i = 0; i < 2; ++i) change_table(schema, table);
  return table;
}

GeneratedSchema SchemaGenerator::generate() {
  GeneratedSchema schema;
  for (int i = 0, count = pick(3); i < count; ++i) {
    std::vector<std::string> values;
    for (int v = 0, n = 1 + pick(3); v < n; ++v) values.push_back("v" + std::to_string(v));
    schema.enums.push_back({fresh("e"), values});
  }
  if (chance(40)) schema.domains.push_back({fresh("d"), "VALUE > 0"});
  if (chance(30)) schema.sequences.push_back({fresh("s"), 1 + pick(3)});
  if (chance(30)) schema.functions.push_back({fresh("f"), pick(100)});
  for (int i = 0, count = 1 + pick(3); i < count; ++i) schema.tables.push_back(table(schema));
  return schema;
}

void SchemaGenerator::change_table(GeneratedSchema& schema, GeneratedTable& table) {
  auto plain_columns = [&table]() {
    std::vector<GeneratedColumn*> out;
    for (GeneratedColumn& column : table.columns) {
      if (!column.references) out.push_back(&column);
    }
    return out;
  };
  std::vector<GeneratedColumn*> columns = plain_columns();
  GeneratedColumn* some = columns.empty() ? nullptr : columns[pick(int(columns.size()))];
  auto drop_uses = [&table, &schema](const std::string& column) {
    erase_if(table.uniques, [&](const auto& unique) { return unique.second == column; });
    erase_if(table.indexes, [&](const auto& index) { return index.second == column; });
    erase_if(table.checks, [&](const auto& check) { return check.second == "(" + column + " > -1000)"; });
    erase_if(schema.views, [&](const auto& view) { return view.second == table.name + "." + column; });
  };
  switch (pick(12)) {
    case 0: table.columns.push_back(column(schema)); break;
    case 1:
      if (some) {
        std::string name = some->name;
        drop_uses(name);
        erase_if(table.columns, [&](const GeneratedColumn& c) { return c.name == name; });
      }
      break;
    case 2:
      if (some && !some->identity) {
        const auto& family = among(kNumbers, some->type) ? kNumbers
                             : among(kTexts, some->type) ? kTexts
                                                         : std::vector<std::string>{};
        if (!family.empty()) {
          some->type = family[pick(int(family.size()))];
          if (!some->default_sql.empty()) some->default_sql = default_for(schema, some->type);
          // A check written for the old type may not fit the new one.
          erase_if(table.checks, [&](const auto& check) {
            return check.second == "(" + some->name + " > -1000)";
          });
        }
      }
      break;
    case 3:
      if (some && !some->identity) some->not_null = !some->not_null;
      break;
    case 4:
      if (some && !some->identity) {
        some->default_sql = some->default_sql.empty() ? default_for(schema, some->type) : "";
      }
      break;
    case 5:
      if (some && chance(50)) {
        table.indexes.push_back({fresh("i"), some->name});
      } else if (!table.indexes.empty()) {
        table.indexes.erase(table.indexes.begin() + pick(int(table.indexes.size())));
      }
      break;
    case 6:
      if (some && chance(50)) {
        table.uniques.push_back({fresh("u"), some->name});
      } else if (!table.uniques.empty()) {
        table.uniques.erase(table.uniques.begin() + pick(int(table.uniques.size())));
      }
      break;
    case 7:
      if (some && among(kNumbers, some->type) && chance(60)) {
        table.checks.push_back({fresh("k"), "(" + some->name + " > -1000)"});
      } else if (!table.checks.empty()) {
        table.checks.erase(table.checks.begin() + pick(int(table.checks.size())));
      }
      break;
    case 8: {
      std::vector<const GeneratedTable*> targets;
      for (const GeneratedTable& other : schema.tables) {
        if (other.name != table.name) targets.push_back(&other);
      }
      if (!targets.empty() && chance(60)) {
        GeneratedColumn reference;
        reference.name = fresh("r");
        reference.type = "integer";
        reference.references = true;
        table.columns.push_back(reference);
        table.foreign_keys.push_back({reference.name, targets[pick(int(targets.size()))]->name});
      } else if (!table.foreign_keys.empty()) {
        std::string column = table.foreign_keys.back().first;
        table.foreign_keys.pop_back();
        erase_if(table.columns, [&](const GeneratedColumn& c) { return c.name == column; });
      }
      break;
    }
    case 9:
      if (table.triggers.empty() || chance(40)) {
        table.triggers.push_back(chance(50) ? "BEFORE INSERT" : "BEFORE UPDATE");
      } else {
        table.triggers.pop_back();
      }
      break;
    case 10: table.comment = table.comment.empty() ? "note " + fresh("n") : ""; break;
    default:
      if (some) some->comment = some->comment.empty() ? "note " + fresh("n") : "";
      break;
  }
}

void SchemaGenerator::change(GeneratedSchema& schema) {
  switch (pick(8)) {
    case 0: schema.tables.push_back(table(schema)); break;
    case 1: {
      if (schema.tables.size() < 2) break;
      std::string name = schema.tables[pick(int(schema.tables.size()))].name;
      for (GeneratedTable& other : schema.tables) {
        for (const auto& [column, target] : other.foreign_keys) {
          if (target == name) {
            erase_if(other.columns, [&, c = column](const GeneratedColumn& col) { return col.name == c; });
          }
        }
        erase_if(other.foreign_keys, [&](const auto& fk) { return fk.second == name; });
      }
      erase_if(schema.views, [&](const auto& view) { return view.second.rfind(name + ".", 0) == 0; });
      erase_if(schema.tables, [&](const GeneratedTable& t) { return t.name == name; });
      break;
    }
    case 2: {
      const GeneratedTable& source = schema.tables[pick(int(schema.tables.size()))];
      const GeneratedColumn* column =
          source.columns.empty() ? nullptr : &source.columns[pick(int(source.columns.size()))];
      if (column && !column->references && (schema.views.empty() || chance(60))) {
        schema.views.push_back({fresh("w"), source.name + "." + column->name});
      } else if (!schema.views.empty()) {
        schema.views.erase(schema.views.begin() + pick(int(schema.views.size())));
      }
      break;
    }
    case 3:
      if (schema.functions.empty() || chance(50)) {
        schema.functions.push_back({fresh("f"), pick(100)});
      } else {
        schema.functions.back().second += 1;
      }
      break;
    case 4:
      if (chance(50)) {
        schema.enums.push_back({fresh("e"), {"a", "b"}});
      } else {
        erase_if(schema.enums, [&](const auto& type) { return !enum_used(schema, type.first); });
      }
      break;
    case 5:
      if (schema.sequences.empty() || chance(40)) {
        schema.sequences.push_back({fresh("s"), 1});
      } else if (chance(50)) {
        schema.sequences.back().second += 1;
      } else {
        schema.sequences.pop_back();
      }
      break;
    case 6:
      if (chance(50)) {
        schema.domains.push_back({fresh("d"), "VALUE > 0"});
      } else {
        erase_if(schema.domains, [&](const auto& domain) { return !enum_used(schema, domain.first); });
      }
      break;
    default:
      change_table(schema, schema.tables[pick(int(schema.tables.size()))]);
      break;
  }
}

GeneratedSchema SchemaGenerator::mutate(const GeneratedSchema& schema) {
  GeneratedSchema next = schema;
  for (int i = 0, count = 1 + pick(4); i < count; ++i) change(next);
  return next;
}

std::string render_sql(const GeneratedSchema& schema) {
  std::string sql;
  for (const auto& [name, values] : schema.enums) {
    std::string list;
    for (const std::string& value : values) list += (list.empty() ? "'" : ", '") + value + "'";
    sql += "CREATE TYPE " + name + " AS ENUM (" + list + ");\n";
  }
  for (const auto& [name, check] : schema.domains) {
    sql += "CREATE DOMAIN " + name + " AS integer CHECK (" + check + ");\n";
  }
  for (const auto& [name, increment] : schema.sequences) {
    sql += "CREATE SEQUENCE " + name + " INCREMENT BY " + std::to_string(increment) + ";\n";
  }
  for (const auto& [name, value] : schema.functions) {
    sql += "CREATE FUNCTION " + name + "() RETURNS integer LANGUAGE sql AS 'SELECT " +
           std::to_string(value) + "';\n";
  }
  bool triggers = false;
  for (const GeneratedTable& table : schema.tables) {
    sql += "CREATE TABLE " + table.name + " (\n    id " +
           (table.serial_id ? "serial" : "integer") + " PRIMARY KEY";
    for (const GeneratedColumn& column : table.columns) {
      sql += ",\n    " + column.name + " " + column.type;
      if (column.identity) sql += " GENERATED BY DEFAULT AS IDENTITY";
      if (column.not_null) sql += " NOT NULL";
      if (!column.default_sql.empty()) sql += " DEFAULT " + column.default_sql;
    }
    for (const auto& [name, column] : table.uniques) {
      sql += ",\n    CONSTRAINT " + name + " UNIQUE (" + column + ")";
    }
    for (const auto& [name, check] : table.checks) {
      sql += ",\n    CONSTRAINT " + name + " CHECK " + check;
    }
    sql += "\n);\n";
    for (const auto& [name, column] : table.indexes) {
      sql += "CREATE INDEX " + name + " ON " + table.name + " (" + column + ");\n";
    }
    if (!table.comment.empty()) {
      sql += "COMMENT ON TABLE " + table.name + " IS '" + table.comment + "';\n";
    }
    for (const GeneratedColumn& column : table.columns) {
      if (!column.comment.empty()) {
        sql += "COMMENT ON COLUMN " + table.name + "." + column.name + " IS '" + column.comment +
               "';\n";
      }
    }
    triggers = triggers || !table.triggers.empty();
  }
  for (const GeneratedTable& table : schema.tables) {
    for (const auto& [column, target] : table.foreign_keys) {
      sql += "ALTER TABLE " + table.name + " ADD FOREIGN KEY (" + column + ") REFERENCES " +
             target + " (id);\n";
    }
  }
  for (const auto& [name, source] : schema.views) {
    size_t dot = source.find('.');
    sql += "CREATE VIEW " + name + " AS SELECT id, " + source.substr(dot + 1) + " FROM " +
           source.substr(0, dot) + ";\n";
  }
  if (triggers) {
    sql += "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; "
           "END $$;\n";
  }
  for (const GeneratedTable& table : schema.tables) {
    for (size_t i = 0; i < table.triggers.size(); ++i) {
      sql += "CREATE TRIGGER " + table.name + "_touch" + std::to_string(i) + " " +
             table.triggers[i] + " ON " + table.name + " FOR EACH ROW EXECUTE FUNCTION touch();\n";
    }
  }
  return sql;
}

}  // namespace schemagate::testing
