#include "schema/diff.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "engine/sql_text.h"

namespace schemagate::schema {
namespace {

// Keywords that may not stand bare as a table or column name (PostgreSQL's
// reserved and type/function-name keywords).
const std::set<std::string>& reserved_words() {
  static const std::set<std::string> words = {
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
      "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
      "column", "concurrently", "constraint", "create", "cross", "current_catalog",
      "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
      "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end",
      "except", "false", "fetch", "for", "foreign", "freeze", "from", "full", "grant", "group",
      "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
      "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural",
      "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps",
      "placing", "primary", "references", "returning", "right", "select", "session_user",
      "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to",
      "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
      "where", "window", "with"};
  return words;
}

std::string literal(const std::string& text) { return engine::quote_literal(text); }

std::string comment_value(const std::optional<std::string>& comment) {
  return comment ? literal(*comment) : "NULL";
}

std::string table_name(const Table& table) { return qualified(table.schema, table.name); }

/// The column as CREATE TABLE and ADD COLUMN write it.
std::string column_definition(const Column& column) {
  std::string text = identifier(column.name) + " " + column.type;
  if (!column.collation.empty()) text += " COLLATE " + column.collation;
  if (!column.generated.empty()) text += " GENERATED ALWAYS AS (" + column.generated + ") STORED";
  if (!column.identity.empty()) text += " GENERATED " + column.identity + " AS IDENTITY";
  if (column.default_value) text += " DEFAULT " + *column.default_value;
  if (column.not_null) text += " NOT NULL";
  return text;
}

bool is_foreign_key(const Constraint& constraint) { return constraint.type == 'f'; }

const Constraint* find_constraint(const std::vector<Constraint>& constraints,
                                  const std::string& name) {
  for (const Constraint& constraint : constraints) {
    if (constraint.name == name) return &constraint;
  }
  return nullptr;
}

bool same_constraint(const Constraint* a, const Constraint* b) {
  return a && b && a->type == b->type && a->definition == b->definition;
}

std::string sequence_options(const Sequence& sequence) {
  return " AS " + sequence.type + " INCREMENT BY " + std::to_string(sequence.increment) +
         " MINVALUE " + std::to_string(sequence.min) + " MAXVALUE " +
         std::to_string(sequence.max) + " START WITH " + std::to_string(sequence.start) +
         " CACHE " + std::to_string(sequence.cache) + (sequence.cycle ? " CYCLE" : " NO CYCLE");
}

bool same_sequence(const Sequence& a, const Sequence& b) {
  return a.type == b.type && a.start == b.start && a.increment == b.increment && a.min == b.min &&
         a.max == b.max && a.cache == b.cache && a.cycle == b.cycle;
}

std::string view_kind(const View& view) { return view.materialized ? "MATERIALIZED VIEW" : "VIEW"; }

std::string routine_signature(const Routine& routine) {
  return std::string(routine.procedure ? "PROCEDURE " : "FUNCTION ") +
         qualified(routine.schema, routine.name) + "(" + routine.arguments + ")";
}

/// pg_get_viewdef ends with `;`; CREATE VIEW ... AS wants the bare query.
std::string view_query(const View& view) {
  std::string query = view.definition;
  while (!query.empty() && (query.back() == ';' || std::isspace(static_cast<unsigned char>(query.back())))) {
    query.pop_back();
  }
  return query;
}

std::string concurrently(const std::string& index_definition) {
  static const std::regex create_index("^CREATE (UNIQUE )?INDEX ");
  return std::regex_replace(index_definition, create_index, "CREATE $1INDEX CONCURRENTLY ",
                            std::regex_constants::format_first_only);
}

/// Parses "character varying(50)", "numeric(10,2)" into a name and
/// modifiers, for widens().
struct TypeName {
  std::string base;
  std::vector<int> modifiers;
};

TypeName parse_type(const std::string& text) {
  TypeName type;
  size_t open = text.find('(');
  type.base = text.substr(0, open);
  if (open == std::string::npos) return type;
  std::string inside = text.substr(open + 1, text.find(')', open) - open - 1);
  size_t start = 0;
  while (start < inside.size()) {
    size_t comma = inside.find(',', start);
    if (comma == std::string::npos) comma = inside.size();
    try {
      type.modifiers.push_back(std::stoi(inside.substr(start, comma - start)));
    } catch (const std::exception&) {
      type.modifiers.push_back(-1);
    }
    start = comma + 1;
  }
  return type;
}

class Planner {
 public:
  Planner(const Catalog& from, const Catalog& to, const DiffOptions& options)
      : from_(from), to_(to), options_(options) {
    find_reshaped_tables();
  }

  Changes run() {
    if (routines_change()) add("SET check_function_bodies = off;");
    drop_triggers();
    drop_views();
    drop_indexes();
    drop_constraints();
    create_schemas();
    create_extensions();
    change_enums();
    change_domains();
    change_sequences();
    change_routines();
    create_tables();
    change_columns();
    add_constraints();
    own_sequences();
    create_views();
    create_indexes();
    create_triggers();
    change_comments();
    drop_tables();
    drop_routines();
    drop_sequences();
    drop_types();
    drop_extensions();
    drop_schemas();
    return std::move(changes_);
  }

 private:
  void add(std::string sql, std::string warning = "") {
    changes_.statements.push_back({std::move(sql), std::move(warning)});
  }

  bool table_kept(const std::string& key) const {
    return from_.tables.count(key) && to_.tables.count(key);
  }

  bool routines_change() const {
    for (const auto& [key, routine] : to_.routines) {
      auto old = from_.routines.find(key);
      if (old == from_.routines.end() || old->second.definition != routine.definition) return true;
    }
    return false;
  }

  void drop_triggers() {
    for (const auto& [key, trigger] : from_.triggers) {
      auto now = to_.triggers.find(key);
      if (now != to_.triggers.end() && now->second.definition == trigger.definition) continue;
      if (!to_.tables.count(schema::key(trigger.schema, trigger.table))) continue;  // goes with it
      add("DROP TRIGGER " + identifier(trigger.name) + " ON " +
          qualified(trigger.schema, trigger.table) + ";");
    }
  }

  /// Tables whose kept columns are retyped or dropped: PostgreSQL refuses
  /// that while a view reads them, so such views are dropped and made again.
  void find_reshaped_tables() {
    for (const auto& [key, table] : from_.tables) {
      auto now = to_.tables.find(key);
      if (now == to_.tables.end()) continue;
      for (const Column& column : table.columns) {
        const Column* after = now->second.column(column.name);
        if (!after || after->type != column.type || after->collation != column.collation ||
            after->generated != column.generated) {
          reshaped_.push_back(table.name);
          break;
        }
      }
    }
  }

  static bool mentions(const std::string& text, const std::string& name) {
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
      bool starts = at == 0 || !word(text[at - 1]);
      bool ends = at + name.size() == text.size() || !word(text[at + name.size()]);
      if (starts && ends) return true;
    }
    return false;
  }

  bool view_changes(const std::string& key) const {
    auto now = to_.views.find(key);
    const View& old = from_.views.at(key);
    if (now == to_.views.end() || now->second.definition != old.definition ||
        now->second.materialized != old.materialized) {
      return true;
    }
    return std::any_of(reshaped_.begin(), reshaped_.end(), [&](const std::string& table) {
      return mentions(old.definition, table);
    });
  }

  void drop_views() {
    std::vector<const View*> dropped;
    for (const auto& [key, view] : from_.views) {
      if (view_changes(key)) dropped.push_back(&view);
    }
    // Later views may stand on earlier ones: drop the newest first.
    std::sort(dropped.begin(), dropped.end(), [](const View* a, const View* b) {
      return a->creation_order > b->creation_order;
    });
    for (const View* view : dropped) {
      add("DROP " + view_kind(*view) + " " + qualified(view->schema, view->name) + ";");
    }
  }

  void drop_indexes() {
    for (const auto& [key, index] : from_.indexes) {
      auto now = to_.indexes.find(key);
      if (now != to_.indexes.end() && now->second.definition == index.definition) continue;
      std::string owner = schema::key(index.schema, index.table);
      bool goes_with_owner = !to_.tables.count(owner) && from_.tables.count(owner);
      bool view_owner = from_.views.count(owner) && view_changes(owner);
      if (goes_with_owner || view_owner) continue;
      add("DROP INDEX " + qualified(index.schema, index.name) + ";");
    }
  }

  /// Constraints that go or change, foreign keys first: a unique key cannot
  /// be dropped while a foreign key still uses it.
  void drop_constraints() {
    for (bool foreign : {true, false}) {
      for (const auto& [key, table] : from_.tables) {
        auto now = to_.tables.find(key);
        for (const Constraint& constraint : table.constraints) {
          if (is_foreign_key(constraint) != foreign) continue;
          if (now != to_.tables.end() &&
              same_constraint(&constraint, find_constraint(now->second.constraints,
                                                           constraint.name))) {
            continue;
          }
          // A dropped table takes its own constraints, but not before its
          // foreign keys into other dropped tables are gone.
          if (now == to_.tables.end() && !foreign) continue;
          add("ALTER TABLE " + table_name(table) + " DROP CONSTRAINT " +
              identifier(constraint.name) + ";");
        }
      }
    }
  }

  void create_schemas() {
    for (const auto& [name, schema] : to_.schemas) {
      if (!from_.schemas.count(name)) add("CREATE SCHEMA " + identifier(name) + ";");
    }
  }

  void create_extensions() {
    for (const auto& [name, extension] : to_.extensions) {
      if (!from_.extensions.count(name)) {
        add("CREATE EXTENSION " + identifier(name) + " SCHEMA " + identifier(extension.schema) +
            ";");
      }
    }
  }

  void change_enums() {
    for (const auto& [key, type] : to_.enums) {
      std::string name = qualified(type.schema, type.name);
      auto old = from_.enums.find(key);
      if (old == from_.enums.end()) {
        std::string values;
        for (const std::string& value : type.values) values += (values.empty() ? "" : ", ") + literal(value);
        add("CREATE TYPE " + name + " AS ENUM (" + values + ");");
        continue;
      }
      const std::vector<std::string>& before = old->second.values;
      // A structured binding cannot be captured in C++17 (clang refuses it).
      const std::vector<std::string>& after = type.values;
      bool kept_all = std::all_of(before.begin(), before.end(), [&](const std::string& value) {
        return std::find(after.begin(), after.end(), value) != after.end();
      });
      if (!kept_all) {
        add("-- " + name + " loses values; PostgreSQL cannot drop an enum value: create a new "
                            "type, move the columns to it and drop the old one by hand",
            "enum " + name + " loses values");
        continue;
      }
      for (size_t i = 0; i < type.values.size(); ++i) {
        const std::string& value = type.values[i];
        if (std::find(before.begin(), before.end(), value) != before.end()) continue;
        std::string where;
        if (i > 0) {
          where = " AFTER " + literal(type.values[i - 1]);
        } else if (type.values.size() > 1) {
          where = " BEFORE " + literal(type.values[1]);
        }
        add("ALTER TYPE " + name + " ADD VALUE " + literal(value) + where + ";");
      }
    }
  }

  void change_domains() {
    for (const auto& [key, domain] : to_.domains) {
      std::string name = qualified(domain.schema, domain.name);
      auto old = from_.domains.find(key);
      if (old == from_.domains.end() || old->second.type != domain.type) {
        if (old != from_.domains.end()) {
          add("DROP DOMAIN " + name + ";", "domain " + name + " changes its base type");
        }
        std::string sql = "CREATE DOMAIN " + name + " AS " + domain.type;
        if (domain.default_value) sql += " DEFAULT " + *domain.default_value;
        if (domain.not_null) sql += " NOT NULL";
        for (const Constraint& constraint : domain.constraints) {
          sql += " CONSTRAINT " + identifier(constraint.name) + " " + constraint.definition;
        }
        add(sql + ";");
        continue;
      }
      const Domain& before = old->second;
      if (before.default_value != domain.default_value) {
        add("ALTER DOMAIN " + name +
            (domain.default_value ? " SET DEFAULT " + *domain.default_value : " DROP DEFAULT") +
            ";");
      }
      if (before.not_null != domain.not_null) {
        add("ALTER DOMAIN " + name + (domain.not_null ? " SET NOT NULL;" : " DROP NOT NULL;"));
      }
      for (const Constraint& constraint : before.constraints) {
        if (!same_constraint(&constraint, find_constraint(domain.constraints, constraint.name))) {
          add("ALTER DOMAIN " + name + " DROP CONSTRAINT " + identifier(constraint.name) + ";");
        }
      }
      for (const Constraint& constraint : domain.constraints) {
        if (!same_constraint(&constraint, find_constraint(before.constraints, constraint.name))) {
          add("ALTER DOMAIN " + name + " ADD CONSTRAINT " + identifier(constraint.name) + " " +
              constraint.definition + ";");
        }
      }
    }
  }

  void change_sequences() {
    for (const auto& [key, sequence] : to_.sequences) {
      auto old = from_.sequences.find(key);
      std::string name = qualified(sequence.schema, sequence.name);
      if (old == from_.sequences.end()) {
        add("CREATE SEQUENCE " + name + sequence_options(sequence) + ";");
      } else if (!same_sequence(old->second, sequence)) {
        add("ALTER SEQUENCE " + name + sequence_options(sequence) + ";");
      }
    }
  }

  void change_routines() {
    for (const auto& [key, routine] : to_.routines) {
      auto old = from_.routines.find(key);
      if (old != from_.routines.end() && old->second.definition == routine.definition) continue;
      std::string definition = routine.definition;
      while (!definition.empty() && std::isspace(static_cast<unsigned char>(definition.back()))) {
        definition.pop_back();
      }
      add(definition + (definition.back() == ';' ? "" : ";"));
    }
  }

  void create_tables() {
    for (const auto& [key, table] : to_.tables) {
      if (from_.tables.count(key)) continue;
      std::vector<std::string> parts;
      for (const Column& column : table.columns) parts.push_back(column_definition(column));
      for (const Constraint& constraint : table.constraints) {
        if (is_foreign_key(constraint)) continue;
        parts.push_back("CONSTRAINT " + identifier(constraint.name) + " " + constraint.definition);
      }
      std::string sql = "CREATE TABLE " + table_name(table) + " (";
      for (size_t i = 0; i < parts.size(); ++i) sql += (i ? ",\n    " : "\n    ") + parts[i];
      add(sql + (parts.empty() ? ");" : "\n);"));
    }
  }

  void change_columns() {
    for (const auto& [key, table] : to_.tables) {
      auto old = from_.tables.find(key);
      if (old == from_.tables.end()) continue;
      std::string name = table_name(table);
      for (const Column& column : table.columns) {
        const Column* before = old->second.column(column.name);
        if (!before || before->generated != column.generated) {
          if (before) {
            add("ALTER TABLE " + name + " DROP COLUMN " + identifier(column.name) + ";");
          }
          add("ALTER TABLE " + name + " ADD COLUMN " + column_definition(column) + ";");
          continue;
        }
        alter_column(name, *before, column);
      }
      for (const Column& column : old->second.columns) {
        if (table.column(column.name)) continue;
        add("ALTER TABLE " + name + " DROP COLUMN " + identifier(column.name) + ";",
            "drops column " + key + "." + column.name + " and its data");
      }
    }
  }

  void alter_column(const std::string& table, const Column& before, const Column& column) {
    std::string alter = "ALTER TABLE " + table + " ALTER COLUMN " + identifier(column.name);
    bool retyped = before.type != column.type || before.collation != column.collation;
    bool default_changes = before.default_value != column.default_value;
    if (default_changes && before.default_value) add(alter + " DROP DEFAULT;");
    if (!before.identity.empty() && column.identity.empty()) add(alter + " DROP IDENTITY;");
    if (retyped) {
      std::string sql = alter + " TYPE " + column.type;
      if (!column.collation.empty()) sql += " COLLATE " + column.collation;
      if (before.type != column.type) sql += " USING " + identifier(column.name) + "::" + column.type;
      std::string warning;
      if (before.type != column.type && !widens(before.type, column.type)) {
        warning = "changes column " + table + "." + column.name + " from " + before.type + " to " +
                  column.type + ": values that do not fit fail or are cut";
      }
      add(sql + ";", warning);
    }
    if (default_changes && column.default_value) {
      add(alter + " SET DEFAULT " + *column.default_value + ";");
    }
    if (before.not_null != column.not_null) {
      add(alter + (column.not_null ? " SET NOT NULL;" : " DROP NOT NULL;"));
    }
    if (before.identity.empty() && !column.identity.empty()) {
      add(alter + " ADD GENERATED " + column.identity + " AS IDENTITY;");
    } else if (!before.identity.empty() && !column.identity.empty() &&
               before.identity != column.identity) {
      add(alter + " SET GENERATED " + column.identity + ";");
    }
  }

  void add_constraints() {
    for (bool foreign : {false, true}) {
      for (const auto& [key, table] : to_.tables) {
        auto old = from_.tables.find(key);
        for (const Constraint& constraint : table.constraints) {
          if (is_foreign_key(constraint) != foreign) continue;
          if (old == from_.tables.end() && !foreign) continue;  // created with the table
          if (old != from_.tables.end() &&
              same_constraint(&constraint, find_constraint(old->second.constraints,
                                                           constraint.name))) {
            continue;
          }
          add("ALTER TABLE " + table_name(table) + " ADD CONSTRAINT " +
              identifier(constraint.name) + " " + constraint.definition + ";");
        }
      }
    }
  }

  void own_sequences() {
    for (const auto& [key, sequence] : to_.sequences) {
      auto old = from_.sequences.find(key);
      std::string before = old == from_.sequences.end() ? "" : old->second.owned_by;
      if (before == sequence.owned_by) continue;
      std::string owner = "NONE";
      if (!sequence.owned_by.empty()) {
        size_t dot = sequence.owned_by.find('.');
        owner = qualified(sequence.schema, sequence.owned_by.substr(0, dot)) + "." +
                identifier(sequence.owned_by.substr(dot + 1));
      }
      add("ALTER SEQUENCE " + qualified(sequence.schema, sequence.name) + " OWNED BY " + owner +
          ";");
    }
  }

  void create_views() {
    std::vector<const View*> created;
    for (const auto& [key, view] : to_.views) {
      if (!from_.views.count(key) || view_changes(key)) created.push_back(&view);
    }
    std::sort(created.begin(), created.end(), [](const View* a, const View* b) {
      return a->creation_order < b->creation_order;
    });
    for (const View* view : created) {
      add("CREATE " + view_kind(*view) + " " + qualified(view->schema, view->name) + " AS\n" +
          view_query(*view) + ";");
    }
  }

  void create_indexes() {
    for (const auto& [key, index] : to_.indexes) {
      auto old = from_.indexes.find(key);
      std::string owner = schema::key(index.schema, index.table);
      bool view_recreated = from_.views.count(owner) && view_changes(owner);
      if (old != from_.indexes.end() && old->second.definition == index.definition &&
          !view_recreated) {
        continue;
      }
      if (options_.concurrent_indexes && table_kept(owner)) {
        changes_.concurrent_indexes.push_back({concurrently(index.definition) + ";", ""});
      } else {
        add(index.definition + ";");
      }
    }
  }

  void create_triggers() {
    for (const auto& [key, trigger] : to_.triggers) {
      auto old = from_.triggers.find(key);
      if (old != from_.triggers.end() && old->second.definition == trigger.definition) continue;
      add(trigger.definition + ";");
    }
  }

  void change_comments() {
    auto comment = [this](const std::string& what, const std::optional<std::string>& before,
                          const std::optional<std::string>& after, bool is_new) {
      if (before == after || (is_new && !after)) return;
      add("COMMENT ON " + what + " IS " + comment_value(after) + ";");
    };
    for (const auto& [name, schema] : to_.schemas) {
      auto old = from_.schemas.find(name);
      bool is_new = old == from_.schemas.end();
      comment("SCHEMA " + identifier(name), is_new ? std::nullopt : old->second.comment,
              schema.comment, is_new);
    }
    for (const auto& [key, table] : to_.tables) {
      auto old = from_.tables.find(key);
      bool is_new = old == from_.tables.end();
      comment("TABLE " + table_name(table), is_new ? std::nullopt : old->second.comment,
              table.comment, is_new);
      for (const Column& column : table.columns) {
        const Column* before = is_new ? nullptr : old->second.column(column.name);
        comment("COLUMN " + table_name(table) + "." + identifier(column.name),
                before ? before->comment : std::nullopt, column.comment, !before);
      }
    }
    for (const auto& [key, index] : to_.indexes) {
      auto old = from_.indexes.find(key);
      bool is_new = old == from_.indexes.end() || old->second.definition != index.definition;
      comment("INDEX " + qualified(index.schema, index.name),
              is_new ? std::nullopt : old->second.comment, index.comment, is_new);
    }
    for (const auto& [key, type] : to_.enums) {
      auto old = from_.enums.find(key);
      bool is_new = old == from_.enums.end();
      comment("TYPE " + qualified(type.schema, type.name),
              is_new ? std::nullopt : old->second.comment, type.comment, is_new);
    }
    for (const auto& [key, domain] : to_.domains) {
      auto old = from_.domains.find(key);
      bool is_new = old == from_.domains.end() || old->second.type != domain.type;
      comment("DOMAIN " + qualified(domain.schema, domain.name),
              is_new ? std::nullopt : old->second.comment, domain.comment, is_new);
    }
    for (const auto& [key, view] : to_.views) {
      bool is_new = !from_.views.count(key) || view_changes(key);
      comment(view_kind(view) + " " + qualified(view.schema, view.name),
              is_new ? std::nullopt : from_.views.at(key).comment, view.comment, is_new);
    }
    for (const auto& [key, routine] : to_.routines) {
      auto old = from_.routines.find(key);
      bool is_new = old == from_.routines.end();
      comment(routine_signature(routine), is_new ? std::nullopt : old->second.comment,
              routine.comment, is_new);
    }
  }

  void drop_tables() {
    for (const auto& [key, table] : from_.tables) {
      if (to_.tables.count(key)) continue;
      add("DROP TABLE " + table_name(table) + ";", "drops table " + key + " and its data");
    }
  }

  void drop_routines() {
    for (const auto& [key, routine] : from_.routines) {
      if (!to_.routines.count(key)) add("DROP " + routine_signature(routine) + ";");
    }
  }

  void drop_sequences() {
    for (const auto& [key, sequence] : from_.sequences) {
      // An owned sequence went with its column or table.
      if (!to_.sequences.count(key)) {
        add("DROP SEQUENCE IF EXISTS " + qualified(sequence.schema, sequence.name) + ";");
      }
    }
  }

  void drop_types() {
    for (const auto& [key, domain] : from_.domains) {
      if (!to_.domains.count(key)) add("DROP DOMAIN " + qualified(domain.schema, domain.name) + ";");
    }
    for (const auto& [key, type] : from_.enums) {
      if (!to_.enums.count(key)) add("DROP TYPE " + qualified(type.schema, type.name) + ";");
    }
  }

  void drop_extensions() {
    for (const auto& [name, extension] : from_.extensions) {
      if (!to_.extensions.count(name)) add("DROP EXTENSION " + identifier(name) + ";");
    }
  }

  void drop_schemas() {
    for (const auto& [name, schema] : from_.schemas) {
      if (!to_.schemas.count(name)) add("DROP SCHEMA " + identifier(name) + ";");
    }
  }

  const Catalog& from_;
  const Catalog& to_;
  DiffOptions options_;
  std::vector<std::string> reshaped_;
  Changes changes_;
};

}  // namespace

Changes diff(const Catalog& from, const Catalog& to, const DiffOptions& options) {
  return Planner(from, to, options).run();
}

Catalog without_concurrent_indexes(const Catalog& from, const Catalog& to) {
  Catalog between = to;
  for (const auto& [key, index] : to.indexes) {
    std::string owner = schema::key(index.schema, index.table);
    auto old = from.indexes.find(key);
    bool created = old == from.indexes.end() || old->second.definition != index.definition;
    if (created && from.tables.count(owner) && to.tables.count(owner)) between.indexes.erase(key);
  }
  return between;
}

std::string identifier(const std::string& name) {
  static const std::regex plain("[a-z_][a-z0-9_$]*");
  if (std::regex_match(name, plain) && !reserved_words().count(name)) return name;
  return engine::quote_identifier(name);
}

std::string qualified(const std::string& schema, const std::string& name) {
  return identifier(schema) + "." + identifier(name);
}

bool widens(const std::string& from, const std::string& to) {
  if (from == to) return true;
  TypeName a = parse_type(from);
  TypeName b = parse_type(to);
  static const std::vector<std::string> integers = {"smallint", "integer", "bigint", "numeric"};
  auto rank = [](const std::string& base) {
    auto found = std::find(integers.begin(), integers.end(), base);
    return found == integers.end() ? -1 : int(found - integers.begin());
  };
  if (rank(a.base) >= 0 && rank(b.base) >= 0 && a.modifiers.empty() && b.modifiers.empty()) {
    return rank(a.base) <= rank(b.base);
  }
  bool a_text = a.base == "character varying" || a.base == "text";
  if (a_text && b.base == "text") return true;
  if (a.base == "character varying" && b.base == "character varying") {
    return b.modifiers.empty() || (!a.modifiers.empty() && a.modifiers[0] <= b.modifiers[0]);
  }
  if (a.base == "numeric" && b.base == "numeric") {
    if (b.modifiers.empty()) return true;
    if (a.modifiers.size() != 2 || b.modifiers.size() != 2) return false;
    return a.modifiers[1] == b.modifiers[1] && a.modifiers[0] <= b.modifiers[0];
  }
  return a.base == "real" && b.base == "double precision";
}

}  // namespace schemagate::schema
