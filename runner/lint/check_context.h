#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lint/facts.h"
#include "lint/finding.h"
#include "lint/linter.h"
#include "sql/parse_tree.h"
#include "sql/statement_splitter.h"

namespace schemagate::lint {

/// PostgreSQL's table lock modes, weakest first.
enum class LockMode {
  kNone,
  kAccessShare,
  kRowShare,
  kRowExclusive,
  kShareUpdateExclusive,
  kShare,
  kShareRowExclusive,
  kExclusive,
  kAccessExclusive,
};

/// "ACCESS EXCLUSIVE", ...
const char* to_string(LockMode mode);

/// What is known of a table a statement touches.
enum class TableState {
  kNew,       ///< created earlier in this revision, or by a revision not applied yet
  kEmpty,     ///< the database says it never held a row
  kExisting,  ///< the database says it holds rows
  kUnknown,   ///< no database: assumed to exist and be large
};

/// What earlier statements did, which later ones depend on.
struct BodyState {
  // Of this body only.
  std::set<std::string> created_tables;   ///< names, without schema
  std::set<std::string> created_indexes;
  /// Constraints this body added NOT VALID (validating them in the same
  /// transaction defeats the purpose).
  std::set<std::string> added_not_valid;
  /// lock_timeout as the body left it: nothing while the runner's own
  /// setting holds, true when set to a positive value, false when off.
  std::optional<bool> lock_timeout_on;

  // Carried from body to body in the order they run (Linter).
  /// CHECK (column IS NOT NULL) constraints added NOT VALID: name -> "table.column".
  std::map<std::string, std::string> not_null_checks_added;
  /// "table.column" with a validated CHECK (column IS NOT NULL).
  std::set<std::string> not_null_checks_validated;
};

/// One statement being checked: the rules read it and report through it.
class CheckContext {
 public:
  CheckContext(const BodyToLint& body, const sql::Statement& statement, const Facts& facts,
               const LintOptions& options, BodyState& state, std::vector<Finding>& findings);

  const BodyToLint& body() const { return body_; }
  const sql::Statement& statement() const { return statement_; }
  const Facts& facts() const { return facts_; }
  const LintOptions& options() const { return options_; }
  BodyState& state() { return state_; }

  TableState table_state(const RelationName& table) const;
  /// True when a lock on the table matters: it exists with rows, or may.
  bool lock_matters(const RelationName& table) const;
  /// The table's name with what the database says of its size.
  std::string describe(const RelationName& table) const;

  /// Records the lock the statement takes on `table` (the strongest one
  /// counts for require-lock-timeout).
  void takes(LockMode mode, const RelationName& table);
  LockMode strongest_lock() const { return strongest_; }
  const RelationName& strongest_table() const { return strongest_table_; }

  /// The lock the statement takes, as findings show it.
  LockImpact impact(LockMode mode, const RelationName& table, LockDuration duration) const;

  /// Reports a finding of `rule` (its catalog severity and rewrite unless
  /// given) at the statement's line, or at the line of byte `location` of
  /// the statement.
  void report(const char* rule, std::string message, std::optional<LockImpact> lock = {},
              int location = -1, std::string rewrite = {});
  /// The same with the severity lowered to a warning: the rule cannot tell
  /// without the database whether the statement is a hazard.
  void report_unsure(const char* rule, std::string message, std::optional<LockImpact> lock = {},
                     int location = -1);

  /// The server's version when known.
  std::optional<int> server_version() const { return facts_.server_version(); }

 private:
  const BodyToLint& body_;
  const sql::Statement& statement_;
  const Facts& facts_;
  const LintOptions& options_;
  BodyState& state_;
  std::vector<Finding>& findings_;
  LockMode strongest_ = LockMode::kNone;
  RelationName strongest_table_;
};

// The rules, by the statements they read. Each checks one node of the
// statement's parse tree (the fields inside `{"NodeType": ...}`).
void check_create_table(CheckContext& context, const sql::ParseTree& create);
void check_alter_table(CheckContext& context, const sql::ParseTree& alter);
void check_create_index(CheckContext& context, const sql::ParseTree& index);
void check_drop(CheckContext& context, const sql::ParseTree& drop);
void check_drop_database(CheckContext& context, const sql::ParseTree& drop);
void check_reindex(CheckContext& context, const sql::ParseTree& reindex);
void check_vacuum(CheckContext& context, const sql::ParseTree& vacuum);
void check_cluster(CheckContext& context, const sql::ParseTree& cluster);
void check_rename(CheckContext& context, const sql::ParseTree& rename);
void check_truncate(CheckContext& context, const sql::ParseTree& truncate);
void check_create_domain(CheckContext& context, const sql::ParseTree& domain);
void check_alter_domain(CheckContext& context, const sql::ParseTree& domain);
void check_variable_set(CheckContext& context, const sql::ParseTree& set);
/// The column rules shared by CREATE TABLE and ADD COLUMN (types, keys).
/// `key` says the column is (part of) the primary key.
void check_column_type(CheckContext& context, const sql::ParseTree& column_def, bool key);

}  // namespace schemagate::lint
