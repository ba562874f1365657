#include "lint/linter.h"

#include <functional>
#include <map>

#include "engine/concurrent_index.h"
#include "lint/check_context.h"
#include "lint/parse_node.h"
#include "sql/meta_command.h"
#include "sql/parse_tree.h"
#include "sql/source_position.h"
#include "sql/statement_classifier.h"

namespace schemagate::lint {
namespace {

using sql::ParseTree;
using Check = std::function<void(CheckContext&, const ParseTree&)>;

const std::map<std::string, Check>& checks_by_node() {
  static const std::map<std::string, Check> checks = {
      {"CreateStmt", check_create_table},       {"AlterTableStmt", check_alter_table},
      {"IndexStmt", check_create_index},        {"DropStmt", check_drop},
      {"ReindexStmt", check_reindex},           {"VacuumStmt", check_vacuum},
      {"ClusterStmt", check_cluster},           {"RenameStmt", check_rename},
      {"TruncateStmt", check_truncate},         {"CreateDomainStmt", check_create_domain},
      {"AlterDomainStmt", check_alter_domain},  {"VariableSetStmt", check_variable_set},
      {"DropdbStmt", check_drop_database},
  };
  return checks;
}

/// Statements whose place in a revision the runner decides: transaction
/// control, and what cannot run in a transaction block.
void check_transaction_shape(CheckContext& context) {
  sql::Classification classification = sql::classify_statement(context.statement().sql);
  if (classification.kind == sql::StatementKind::kTransactionControl) {
    context.report("transaction-nesting",
                   classification.command + " inside a migration body: schemagate runs each "
                                            "transactional revision in one transaction of its own");
  } else if (classification.kind == sql::StatementKind::kNoTransactionBlock &&
             context.body().transactional) {
    context.report("ban-concurrent-index-creation-in-transaction",
                   classification.command + " cannot run inside a transaction block, and this "
                                            "revision is transactional");
  }
}

/// A non-transactional revision is repeated by the next run only when each
/// statement is (engine/concurrent_index.h).
void check_repeatable(CheckContext& context, const std::string& node_type) {
  if (context.body().transactional || node_type == "VariableSetStmt") return;
  if (engine::repeatable_statement(context.statement().sql)) return;
  context.report("prefer-robust-stmts",
                 "this statement of a non-transactional revision is not safe to repeat: if the "
                 "run dies after it, the next run stops until someone finishes the revision by "
                 "hand");
}

/// require-lock-timeout, after the statement's own rules said what it locks.
void check_lock_timeout(CheckContext& context, const LintOptions& options) {
  if (context.strongest_lock() < LockMode::kShare) return;
  bool on = context.state().lock_timeout_on.value_or(options.statement_lock_timeout.count() > 0);
  if (on) return;
  context.report("require-lock-timeout",
                 std::string("this statement takes ") + to_string(context.strongest_lock()) +
                     " on " + context.strongest_table().text() +
                     " with lock_timeout off: while it waits behind a long transaction, every "
                     "query on the table queues behind it",
                 context.impact(context.strongest_lock(), context.strongest_table(),
                                LockDuration::kInstant));
}

/// Runs the rules of every node of the statement's tree.
void check_tree(CheckContext& context, const ParseTree& tree) {
  for (const ParseTree& raw : node::list(tree, "stmts")) {
    const ParseTree* stmt = node::member(raw, "stmt");
    if (stmt == nullptr) continue;
    auto [type, fields] = node::unwrap(*stmt);
    if (fields == nullptr) continue;
    auto check = checks_by_node().find(type);
    if (check != checks_by_node().end()) check->second(context, *fields);
    check_repeatable(context, type);
  }
}

}  // namespace

std::optional<StatementLock> strong_lock_of(const std::string& statement_sql) {
  std::optional<ParseTree> tree = sql::parse_sql(statement_sql).tree;
  if (!tree) return std::nullopt;
  NoFacts facts;
  LintOptions options;
  BodyToLint body{"", statement_sql, 1, true};
  sql::Statement statement{statement_sql, 0, 1};
  BodyState state;
  std::vector<Finding> ignored;
  CheckContext context(body, statement, facts, options, state, ignored);
  check_tree(context, *tree);
  if (context.strongest_lock() < LockMode::kShare) return std::nullopt;
  return StatementLock{to_string(context.strongest_lock()), context.strongest_table()};
}

Linter::Linter(const Facts& facts, LintOptions options)
    : facts_(facts), options_(options), carried_(std::make_unique<BodyState>()) {}

Linter::~Linter() = default;

std::vector<Finding> Linter::lint(const BodyToLint& body) {
  const Facts& facts = facts_;
  const LintOptions& options = options_;
  std::vector<Finding> findings;
  BodyState state;
  // The body reaches the parser as a C string; the file parser refuses a
  // NUL before this, and a body from elsewhere gets the same answer.
  size_t nul = body.sql.find('\0');
  if (nul != std::string::npos) {
    sql::Statement where{"", nul, sql::line_of_offset(body.sql, nul, body.first_line)};
    CheckContext context(body, where, facts, options, state, findings);
    context.report("syntax-error", "a NUL byte in the SQL would cut the statement short");
    return findings;
  }
  state.not_null_checks_added = carried_->not_null_checks_added;
  state.not_null_checks_validated = carried_->not_null_checks_validated;
  if (std::optional<sql::MetaCommand> command = sql::find_meta_command(body.sql)) {
    sql::Statement where{"", command->offset,
                         sql::line_of_offset(body.sql, command->offset, body.first_line)};
    CheckContext context(body, where, facts, options, state, findings);
    context.report("syntax-error", "psql meta-command '" + command->name +
                                       "' is not SQL; schemagate runs plain SQL");
    return findings;
  }
  const std::vector<sql::Statement> statements =
      options.split ? options.split(body.sql, body.first_line)
                    : sql::split_statements(body.sql, body.first_line);
  for (const sql::Statement& statement : statements) {
    CheckContext context(body, statement, facts, options, state, findings);
    sql::ParseOutcome parsed = sql::parse_sql(statement.sql);
    if (parsed.syntax_error) {
      context.report("syntax-error", "PostgreSQL's parser rejects this statement; the server "
                                     "will say where when it runs");
      continue;
    }
    // Too large or too deep to look at (multi-megabyte seed data): nothing
    // schemagate could say about its locks.
    if (!parsed.tree) continue;
    check_transaction_shape(context);
    check_tree(context, *parsed.tree);
    check_lock_timeout(context, options);
  }
  carried_->not_null_checks_added = std::move(state.not_null_checks_added);
  carried_->not_null_checks_validated = std::move(state.not_null_checks_validated);
  return findings;
}

std::vector<Finding> lint_body(const BodyToLint& body, const Facts& facts,
                               const LintOptions& options) {
  return Linter(facts, options).lint(body);
}

}  // namespace schemagate::lint
