// ALTER TABLE: what each subcommand locks, and for how long.
#include <algorithm>
#include <cstdlib>

#include "lint/check_context.h"
#include "lint/parse_node.h"

namespace schemagate::lint {
namespace {

using sql::ParseTree;

/// The lock PostgreSQL takes for one subcommand (ALTER TABLE takes the
/// strongest of its subcommands').
LockMode lock_of(const std::string& subtype, const ParseTree* def) {
  if (subtype == "AT_AddConstraint" && def != nullptr) {
    const ParseTree* constraint = node::as(*def, "Constraint");
    if (constraint != nullptr && node::text(*constraint, "contype") == "CONSTR_FOREIGN") {
      return LockMode::kShareRowExclusive;
    }
  }
  static const char* const kShareUpdateExclusive[] = {
      "AT_ValidateConstraint", "AT_SetStatistics", "AT_SetOptions",      "AT_ResetOptions",
      "AT_ClusterOn",          "AT_DropCluster",   "AT_AttachPartition", "AT_SetRelOptions",
      "AT_ResetRelOptions"};
  for (const char* name : kShareUpdateExclusive) {
    if (subtype == name) return LockMode::kShareUpdateExclusive;
  }
  if (subtype.find("Trig") != std::string::npos) return LockMode::kShareRowExclusive;
  return LockMode::kAccessExclusive;
}

/// How a DEFAULT expression behaves: ADD COLUMN rewrites the table for a
/// volatile one (and, before PostgreSQL 11, for any).
enum class Volatility { kConstant, kStable, kUnknown, kVolatile };

bool is_named(const std::string& name, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return name == n; });
}

Volatility volatility(const ParseTree& expression) {
  auto [type, fields] = node::unwrap(expression);
  if (fields == nullptr) return Volatility::kUnknown;
  if (type == "A_Const") return Volatility::kConstant;
  if (type == "SQLValueFunction") return Volatility::kStable;
  if (type == "TypeCast") {
    const ParseTree* argument = node::member(*fields, "arg");
    return argument != nullptr ? volatility(*argument) : Volatility::kUnknown;
  }
  Volatility worst = Volatility::kConstant;
  auto combine = [&](const ParseTree* child) {
    if (child != nullptr) worst = std::max(worst, volatility(*child));
  };
  if (type == "A_Expr") {
    combine(node::member(*fields, "lexpr"));
    combine(node::member(*fields, "rexpr"));
    return std::max(worst, Volatility::kStable);  // an operator's function: not known immutable
  }
  if (type == "A_ArrayExpr") {
    for (const ParseTree& element : node::list(*fields, "elements")) combine(&element);
    return worst;
  }
  if (type == "FuncCall") {
    std::string name = node::dotted_name(node::list(*fields, "funcname")).name;
    for (const ParseTree& argument : node::list(*fields, "args")) combine(&argument);
    if (is_named(name, {"random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
                        "uuid_generate_v4", "clock_timestamp", "timeofday", "nextval",
                        "txid_current", "setseed"})) {
      return Volatility::kVolatile;
    }
    if (is_named(name, {"now", "transaction_timestamp", "statement_timestamp", "lower", "upper",
                        "concat", "coalesce", "to_jsonb", "jsonb_build_object",
                        "json_build_object", "array_fill", "make_interval", "to_timestamp",
                        "current_setting"})) {
      return std::max(worst, Volatility::kStable);
    }
    return Volatility::kUnknown;
  }
  return Volatility::kUnknown;
}

/// "table.column" when the CHECK expression is exactly `column IS NOT NULL`.
std::string not_null_check_key(const RelationName& table, const ParseTree& constraint) {
  const ParseTree* expression = node::member(constraint, "raw_expr");
  const ParseTree* test = expression != nullptr ? node::as(*expression, "NullTest") : nullptr;
  if (test == nullptr || node::text(*test, "nulltesttype") != "IS_NOT_NULL") return "";
  const ParseTree* argument = node::member(*test, "arg");
  const ParseTree* column = argument != nullptr ? node::as(*argument, "ColumnRef") : nullptr;
  if (column == nullptr) return "";
  const ParseTree& fields = node::list(*column, "fields");
  if (fields.size() != 1) return "";
  const ParseTree* name = node::as(fields.front(), "String");
  return name != nullptr ? table.name + "." + node::text(*name, "sval") : "";
}

/// One ALTER TABLE statement on one table.
class AlterTable {
 public:
  AlterTable(CheckContext& context, RelationName table, LockMode mode)
      : context_(context), table_(std::move(table)), mode_(mode),
        matters_(context.lock_matters(table_)) {}

  void command(const ParseTree& cmd) {
    const std::string subtype = node::text(cmd, "subtype");
    const std::string column = node::text(cmd, "name");
    const ParseTree* def = node::member(cmd, "def");
    if (subtype == "AT_AddColumn" && def != nullptr) {
      if (const ParseTree* column_def = node::as(*def, "ColumnDef")) add_column(*column_def);
    } else if (subtype == "AT_AddConstraint" && def != nullptr) {
      if (const ParseTree* constraint = node::as(*def, "Constraint")) add_constraint(*constraint);
    } else if (subtype == "AT_ValidateConstraint") {
      validate(column);
    } else if (subtype == "AT_SetNotNull") {
      set_not_null(column);
    } else if (subtype == "AT_DropNotNull" && matters_) {
      context_.report("ban-drop-not-null", "column " + column + " of " + table_.text() +
                                               " may hold NULL from now on");
    } else if (subtype == "AT_AlterColumnType" && def != nullptr) {
      const ParseTree* column_def = node::as(*def, "ColumnDef");
      if (column_def != nullptr) change_type(column, *column_def);
    } else if (subtype == "AT_DropColumn" && matters_) {
      context_.report("ban-drop-column",
                      "DROP COLUMN " + column + ": pods of the previous release still use it",
                      impact(LockDuration::kInstant));
    }
  }

 private:
  LockImpact impact(LockDuration duration) const {
    return context_.impact(mode_, table_, duration);
  }

  void add_column(const ParseTree& column_def) {
    check_column_type(context_, column_def, false);
    if (!matters_) return;
    const std::string column = node::text(column_def, "colname");
    const ParseTree* type_node = node::member(column_def, "typeName");
    std::string type = type_node != nullptr ? node::type_name(*type_node) : "";
    bool serial = type.find("serial") != std::string::npos;
    bool not_null = false;
    bool filled = serial;  // every existing row gets a value
    const ParseTree* default_expression = nullptr;
    for (const ParseTree* constraint : node::column_constraints(column_def)) {
      const std::string contype = node::text(*constraint, "contype");
      const int at = node::location(*constraint);
      if (contype == "CONSTR_NOTNULL") not_null = true;
      if (contype == "CONSTR_DEFAULT") default_expression = node::member(*constraint, "raw_expr");
      if (contype == "CONSTR_IDENTITY" || contype == "CONSTR_GENERATED") {
        filled = true;
        context_.report("adding-field-with-default",
                        "ADD COLUMN " + column + (contype == "CONSTR_IDENTITY"
                                                      ? " GENERATED AS IDENTITY"
                                                      : " GENERATED ... STORED") +
                            " computes a value for every existing row",
                        impact(LockDuration::kTableRewrite), at);
      } else if (contype == "CONSTR_PRIMARY") {
        context_.report("adding-serial-primary-key-field",
                        "ADD COLUMN " + column + " PRIMARY KEY builds its index under " +
                            to_string(mode_),
                        impact(LockDuration::kIndexBuild), at);
      } else if (contype == "CONSTR_UNIQUE") {
        context_.report("disallowed-unique-constraint",
                        "ADD COLUMN " + column + " UNIQUE builds its index under " +
                            to_string(mode_),
                        impact(LockDuration::kIndexBuild), at);
      } else if (contype == "CONSTR_FOREIGN") {
        context_.report("adding-foreign-key-constraint",
                        "ADD COLUMN " + column + " REFERENCES checks every row of " +
                            table_.text() + " while the statement holds " + to_string(mode_),
                        impact(LockDuration::kTableScan), at);
      } else if (contype == "CONSTR_CHECK" && !node::flag(*constraint, "skip_validation")) {
        context_.report("constraint-missing-not-valid",
                        "ADD COLUMN " + column + " CHECK checks every row of " + table_.text(),
                        impact(LockDuration::kTableScan), at);
      }
    }
    if (serial) {
      context_.report("adding-field-with-default",
                      "ADD COLUMN " + column + " " + type +
                          ": its nextval() default is computed for every existing row",
                      impact(LockDuration::kTableRewrite));
    }
    if (default_expression != nullptr) {
      filled = true;
      check_default(column, *default_expression);
    }
    if (not_null && !filled && context_.table_state(table_) != TableState::kEmpty) {
      context_.report("adding-required-field",
                      "ADD COLUMN " + column + " NOT NULL without a DEFAULT fails on a table that "
                                               "holds rows, and inserts by the previous release "
                                               "fail after it");
    }
  }

  void check_default(const std::string& column, const ParseTree& expression) {
    Volatility kind = volatility(expression);
    std::optional<int> version = context_.server_version();
    const int at = node::location(expression);
    if (version && *version < 110000) {
      context_.report("adding-field-with-default",
                      "ADD COLUMN " + column + " DEFAULT rewrites the table before PostgreSQL 11 "
                                               "(the server is " +
                          std::to_string(*version) + ")",
                      impact(LockDuration::kTableRewrite), at);
    } else if (kind == Volatility::kVolatile) {
      context_.report("adding-field-with-default",
                      "ADD COLUMN " + column + " has a volatile DEFAULT, computed for every "
                                               "existing row",
                      impact(LockDuration::kTableRewrite), at);
    } else if (kind == Volatility::kUnknown) {
      context_.report_unsure("adding-field-with-default",
                             "ADD COLUMN " + column + " has a DEFAULT schemagate cannot tell is "
                                                      "stable; a volatile one rewrites the table",
                             impact(LockDuration::kTableRewrite), at);
    }
  }

  void add_constraint(const ParseTree& constraint) {
    const std::string contype = node::text(constraint, "contype");
    const std::string name = node::text(constraint, "conname");
    const bool not_valid = node::flag(constraint, "skip_validation");
    const int at = node::location(constraint);
    if (contype == "CONSTR_FOREIGN") {
      const ParseTree* referenced = node::member(constraint, "pktable");
      RelationName target = referenced != nullptr ? node::relation(*referenced) : RelationName{};
      context_.takes(LockMode::kShareRowExclusive, target);
      if (not_valid) {
        context_.state().added_not_valid.insert(name);
      } else if (matters_) {
        context_.report("adding-foreign-key-constraint",
                        "FOREIGN KEY " + (name.empty() ? std::string() : name + " ") +
                            "checks every row of " + table_.text() + " while writes to it and to " +
                            target.text() + " wait",
                        impact(LockDuration::kTableScan), at);
      }
    } else if (contype == "CONSTR_CHECK") {
      std::string key = not_null_check_key(table_, constraint);
      if (not_valid) {
        context_.state().added_not_valid.insert(name);
        if (!key.empty()) context_.state().not_null_checks_added[name] = key;
        return;
      }
      if (!key.empty()) context_.state().not_null_checks_validated.insert(key);
      if (matters_) {
        context_.report("constraint-missing-not-valid",
                        "CHECK " + (name.empty() ? std::string() : name + " ") +
                            "checks every row of " + table_.text() + " under " + to_string(mode_),
                        impact(LockDuration::kTableScan), at);
      }
    } else if ((contype == "CONSTR_PRIMARY" || contype == "CONSTR_UNIQUE" ||
                contype == "CONSTR_EXCLUSION") &&
               node::text(constraint, "indexname").empty() && matters_) {
      context_.report("disallowed-unique-constraint",
                      "this constraint builds its index on " + table_.text() + " under " +
                          to_string(mode_),
                      impact(LockDuration::kIndexBuild), at);
    }
  }

  void validate(const std::string& name) {
    BodyState& state = context_.state();
    auto added = state.not_null_checks_added.find(name);
    if (added != state.not_null_checks_added.end()) {
      state.not_null_checks_validated.insert(added->second);
    }
    if (state.added_not_valid.count(name) != 0 && context_.body().transactional && matters_) {
      context_.report("constraint-missing-not-valid",
                      "VALIDATE CONSTRAINT " + name + " in the transaction that added it NOT "
                      "VALID: the ADD's lock is still held while every row is checked",
                      context_.impact(LockMode::kAccessExclusive, table_, LockDuration::kTableScan),
                      -1,
                      "VALIDATE CONSTRAINT in a later revision (or mark this one "
                      "'-- schemagate:transactional false')");
    }
  }

  void set_not_null(const std::string& column) {
    if (!matters_) return;
    std::optional<int> version = context_.server_version();
    const std::string key = table_.name + "." + column;
    bool checked = context_.state().not_null_checks_validated.count(key) != 0 ||
                   context_.facts().has_not_null_check(table_, column);
    if (checked && (!version || *version >= 120000)) return;
    context_.report("adding-not-nullable-field",
                    "SET NOT NULL on " + column + " scans every row of " + table_.text() +
                        " under ACCESS EXCLUSIVE" +
                        (checked ? " (PostgreSQL before 12 ignores the CHECK constraint)" : ""),
                    impact(LockDuration::kTableScan));
  }

  /// varchar(n) to a longer varchar or text, and text to varchar without a
  /// limit, keep every stored value as it is: no rewrite.
  static bool binary_coercible(const std::string& old_type, const ParseTree& new_type) {
    std::string name = node::type_name(new_type);
    long limit = node::first_type_modifier(new_type);
    bool unlimited = !node::has_type_modifiers(new_type);
    if (old_type == "text" || old_type == "character varying") {
      return name == "text" || (name == "varchar" && unlimited);
    }
    const std::string prefix = "character varying(";
    if (old_type.rfind(prefix, 0) != 0) return false;
    long old_limit = std::atol(old_type.c_str() + prefix.size());
    return name == "text" || (name == "varchar" && (unlimited || limit >= old_limit));
  }

  void change_type(const std::string& column, const ParseTree& column_def) {
    if (!matters_) return;
    const ParseTree* new_type = node::member(column_def, "typeName");
    if (new_type == nullptr) return;
    const bool using_clause = node::member(column_def, "raw_default") != nullptr;
    const std::string name = node::type_name(*new_type);
    std::optional<std::string> old_type = context_.facts().column_type(table_, column);
    if (!using_clause && old_type && binary_coercible(*old_type, *new_type)) return;
    std::string message = "ALTER COLUMN " + column + " TYPE " + name + " rewrites " +
                          table_.text() + " and its indexes under ACCESS EXCLUSIVE";
    if (!old_type && !using_clause && (name == "text" || name == "varchar")) {
      context_.report_unsure("changing-column-type",
                             message + ", unless the column is a shorter varchar or text (give "
                                       "--database-url to know)",
                             impact(LockDuration::kTableRewrite));
      return;
    }
    if (old_type) message += " (it is " + *old_type + ")";
    context_.report("changing-column-type", message, impact(LockDuration::kTableRewrite));
  }

  CheckContext& context_;
  RelationName table_;
  LockMode mode_;
  bool matters_;
};

}  // namespace

void check_alter_table(CheckContext& context, const ParseTree& alter) {
  const std::string object = node::text(alter, "objtype");
  const ParseTree* relation = node::member(alter, "relation");
  if (relation == nullptr || (object != "OBJECT_TABLE" && !object.empty())) return;
  RelationName table = node::relation(*relation);
  LockMode mode = LockMode::kNone;
  std::vector<const ParseTree*> commands;
  for (const ParseTree& raw : node::list(alter, "cmds")) {
    const ParseTree* cmd = node::as(raw, "AlterTableCmd");
    if (cmd == nullptr) continue;
    commands.push_back(cmd);
    mode = std::max(mode, lock_of(node::text(*cmd, "subtype"), node::member(*cmd, "def")));
  }
  context.takes(mode, table);
  AlterTable statement(context, table, mode);
  for (const ParseTree* cmd : commands) statement.command(*cmd);
}

}  // namespace schemagate::lint
