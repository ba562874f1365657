#include "postgres/catalog_reader.h"

#include <set>

namespace schemagate::schema {
namespace {

// Schemas PostgreSQL owns; `n` is the pg_namespace of the object.
const char* const kUserSchema =
    " n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
    " AND n.nspname !~ '^pg_(toast_)?temp_' ";

/// An object created by an extension belongs to it, not to the migrations.
std::string not_extension_member(const std::string& catalog, const std::string& oid) {
  return " NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog +
         "'::regclass AND e.objid = " + oid + " AND e.deptype = 'e') ";
}

std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return std::string(field.c_str());
}

std::string text(const pqxx::field& field) { return field.is_null() ? "" : field.c_str(); }

class Reader {
 public:
  Reader(pqxx::transaction_base& tx, const engine::VersionTables& tables) : tx_(tx) {
    own_schema_ = tables.schema;
    own_tables_ = {tables.version_table, tables.history_table, tables.version_table + "_lease"};
  }

  Catalog run() {
    read_schemas();
    read_extensions();
    read_tables();
    read_columns();
    read_constraints();
    read_indexes();
    read_sequences();
    read_enums();
    read_domains();
    read_views();
    read_routines();
    read_triggers();
    return std::move(catalog_);
  }

 private:
  bool own_table(const std::string& schema, const std::string& table) const {
    return schema == own_schema_ && own_tables_.count(table) > 0;
  }

  void read_schemas() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, obj_description(n.oid, 'pg_namespace') FROM pg_namespace n "
             "WHERE" + std::string(kUserSchema) + "AND" +
             not_extension_member("pg_namespace", "n.oid"))) {
      std::string name = row[0].c_str();
      if (name == own_schema_ && name != "public") continue;
      catalog_.schemas[name] = Schema{name, optional_text(row[1])};
    }
  }

  void read_extensions() {
    for (const auto& row : tx_.exec("SELECT x.extname, n.nspname FROM pg_extension x "
                                    "JOIN pg_namespace n ON n.oid = x.extnamespace")) {
      catalog_.extensions[row[0].c_str()] = Extension{row[0].c_str(), row[1].c_str()};
    }
  }

  void read_tables() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
             "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND" +
             std::string(kUserSchema) + "AND" + not_extension_member("pg_class", "c.oid"))) {
      if (own_table(row[0].c_str(), row[1].c_str())) continue;
      Table table;
      table.schema = row[0].c_str();
      table.name = row[1].c_str();
      table.comment = optional_text(row[2]);
      catalog_.tables[key(table.schema, table.name)] = std::move(table);
    }
  }

  Table* table(const std::string& schema, const std::string& name) {
    auto found = catalog_.tables.find(key(schema, name));
    return found == catalog_.tables.end() ? nullptr : &found->second;
  }

  void read_columns() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
             "pg_get_expr(d.adbin, d.adrelid), a.attnotnull, a.attidentity::text, "
             "a.attgenerated::text, CASE WHEN a.attcollation <> t.typcollation THEN "
             "quote_ident(co.collname) END, col_description(c.oid, a.attnum) "
             "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
             "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
             "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
             "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
             "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND" +
             std::string(kUserSchema) + "ORDER BY n.nspname, c.relname, a.attnum")) {
      Table* owner = table(row[0].c_str(), row[1].c_str());
      if (!owner) continue;
      Column column;
      column.name = row[2].c_str();
      column.type = row[3].c_str();
      column.not_null = row[5].as<bool>();
      std::string identity = text(row[6]);
      column.identity = identity == "a" ? "always" : identity == "d" ? "by default" : "";
      if (text(row[7]) == "s") {
        column.generated = text(row[4]);
      } else {
        column.default_value = optional_text(row[4]);
      }
      column.collation = text(row[8]);
      column.comment = optional_text(row[9]);
      owner->columns.push_back(std::move(column));
    }
  }

  void read_constraints() {
    // NOT NULL lives on the column; trigger constraints are read as triggers.
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, c.relname, con.conname, con.contype::text, "
             "pg_get_constraintdef(con.oid) FROM pg_constraint con "
             "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND" + std::string(kUserSchema) +
             "ORDER BY con.conname")) {
      Table* owner = table(row[0].c_str(), row[1].c_str());
      if (!owner) continue;
      owner->constraints.push_back(Constraint{row[2].c_str(), text(row[3])[0], row[4].c_str()});
    }
  }

  void read_indexes() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, ic.relname, tc.relname, pg_get_indexdef(i.indexrelid), "
             "obj_description(i.indexrelid, 'pg_class') FROM pg_index i "
             "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid "
             "JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE" + std::string(kUserSchema) +
             "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid "
             "AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) AND" +
             not_extension_member("pg_class", "tc.oid"))) {
      if (own_table(row[0].c_str(), row[2].c_str())) continue;
      Index index{row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str(),
                  optional_text(row[4])};
      catalog_.indexes[key(index.schema, index.name)] = std::move(index);
    }
  }

  void read_sequences() {
    // Identity columns' sequences (deptype 'i') are part of their column.
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, "
             "s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
             "(SELECT tc.relname || '.' || a.attname FROM pg_depend d "
             " JOIN pg_class tc ON tc.oid = d.refobjid "
             " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
             " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' "
             " AND d.refclassid = 'pg_class'::regclass LIMIT 1), "
             "(SELECT tc.relname FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid "
             " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
             " AND d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass LIMIT 1) "
             "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
             "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" + std::string(kUserSchema) +
             "AND" + not_extension_member("pg_class", "c.oid") +
             "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
             "AND d.objid = c.oid AND d.deptype = 'i')")) {
      if (!row[10].is_null() && own_table(row[0].c_str(), row[10].c_str())) continue;
      Sequence sequence;
      sequence.schema = row[0].c_str();
      sequence.name = row[1].c_str();
      sequence.type = row[2].c_str();
      sequence.start = row[3].as<int64_t>();
      sequence.increment = row[4].as<int64_t>();
      sequence.min = row[5].as<int64_t>();
      sequence.max = row[6].as<int64_t>();
      sequence.cache = row[7].as<int64_t>();
      sequence.cycle = row[8].as<bool>();
      sequence.owned_by = text(row[9]);
      catalog_.sequences[key(sequence.schema, sequence.name)] = std::move(sequence);
    }
  }

  void read_enums() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, t.typname, e.enumlabel, obj_description(t.oid, 'pg_type') "
             "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
             "LEFT JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typtype = 'e' AND" +
             std::string(kUserSchema) + "AND" + not_extension_member("pg_type", "t.oid") +
             "ORDER BY n.nspname, t.typname, e.enumsortorder")) {
      EnumType& type = catalog_.enums[key(row[0].c_str(), row[1].c_str())];
      type.schema = row[0].c_str();
      type.name = row[1].c_str();
      type.comment = optional_text(row[3]);
      if (!row[2].is_null()) type.values.push_back(row[2].c_str());
    }
  }

  void read_domains() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), "
             "t.typdefault, t.typnotnull, obj_description(t.oid, 'pg_type') FROM pg_type t "
             "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND" +
             std::string(kUserSchema) + "AND" + not_extension_member("pg_type", "t.oid"))) {
      Domain domain;
      domain.schema = row[0].c_str();
      domain.name = row[1].c_str();
      domain.type = row[2].c_str();
      domain.default_value = optional_text(row[3]);
      domain.not_null = row[4].as<bool>();
      domain.comment = optional_text(row[5]);
      catalog_.domains[key(domain.schema, domain.name)] = std::move(domain);
    }
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, t.typname, con.conname, pg_get_constraintdef(con.oid) "
             "FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid "
             "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE con.contype = 'c' "
             "ORDER BY con.conname")) {
      auto found = catalog_.domains.find(key(row[0].c_str(), row[1].c_str()));
      if (found == catalog_.domains.end()) continue;
      found->second.constraints.push_back(Constraint{row[2].c_str(), 'c', row[3].c_str()});
    }
  }

  void read_views() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, c.relname, c.relkind = 'm', pg_get_viewdef(c.oid), "
             "obj_description(c.oid, 'pg_class'), c.oid::bigint FROM pg_class c "
             "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND" +
             std::string(kUserSchema) + "AND" + not_extension_member("pg_class", "c.oid"))) {
      View view{row[0].c_str(), row[1].c_str(), row[2].as<bool>(), row[3].c_str(),
                optional_text(row[4]), static_cast<uint32_t>(row[5].as<int64_t>())};
      catalog_.views[key(view.schema, view.name)] = std::move(view);
    }
  }

  void read_routines() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), "
             "p.prokind = 'p', pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc') "
             "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
             "WHERE p.prokind IN ('f', 'p') AND" + std::string(kUserSchema) + "AND" +
             not_extension_member("pg_proc", "p.oid"))) {
      Routine routine{row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].as<bool>(),
                      row[4].c_str(), optional_text(row[5])};
      catalog_.routines[key(routine.schema, routine.name) + "(" + routine.arguments + ")"] =
          std::move(routine);
    }
  }

  void read_triggers() {
    for (const auto& row : tx_.exec(
             "SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
             "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE NOT t.tgisinternal AND" + std::string(kUserSchema))) {
      if (own_table(row[0].c_str(), row[1].c_str())) continue;
      Trigger trigger{row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str()};
      catalog_.triggers[key(trigger.schema, trigger.table) + "." + trigger.name] =
          std::move(trigger);
    }
  }

  pqxx::transaction_base& tx_;
  std::string own_schema_;
  std::set<std::string> own_tables_;
  Catalog catalog_;
};

}  // namespace

Catalog read_catalog(pqxx::connection& connection, const engine::VersionTables& tables) {
  pqxx::read_transaction tx(connection);
  return Reader(tx, tables).run();
}

}  // namespace schemagate::schema
