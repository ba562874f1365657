#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lint/facts.h"
#include "lint/finding.h"
#include "sql/statement_splitter.h"

namespace schemagate::lint {

/// What the runner will do around the statements, which decides some rules.
struct LintOptions {
  /// The lock_timeout the runner sets for migration statements
  /// (--statement-lock-timeout, statement.lock_timeout); 0 turns it off.
  std::chrono::milliseconds statement_lock_timeout{5000};
  /// Splits a body into statements: PostgreSQL's parser when empty, SQLite's
  /// rules for a SQLite project (sqlite/statement_splitter.h).
  std::function<std::vector<sql::Statement>(const std::string& body, int first_line)> split;
};

/// One migration body to check.
struct BodyToLint {
  std::string path;
  std::string sql;
  int first_line = 1;  ///< file line of the body's first line
  bool transactional = true;
};

struct BodyState;

/// Checks bodies in the order they will run. Pure: it reads the database
/// only through `facts`. What one body does that a later one relies on is
/// remembered: a CHECK (col IS NOT NULL) added NOT VALID in one revision
/// and validated in the next makes a later SET NOT NULL safe.
class Linter {
 public:
  Linter(const Facts& facts, LintOptions options);
  ~Linter();

  /// Every hazard in `body`, in statement order, with each rule's default
  /// severity.
  std::vector<Finding> lint(const BodyToLint& body);

 private:
  const Facts& facts_;
  LintOptions options_;
  std::unique_ptr<BodyState> carried_;
};

/// The table lock a statement takes that makes other sessions' queries queue
/// behind it (SHARE or stronger), and on which table.
struct StatementLock {
  std::string mode;  ///< "ACCESS EXCLUSIVE", ...
  RelationName table;
};

/// The strongest such lock of one statement; nothing for weaker ones or a
/// statement the parser rejects.
std::optional<StatementLock> strong_lock_of(const std::string& statement_sql);

/// One body on its own.
std::vector<Finding> lint_body(const BodyToLint& body, const Facts& facts,
                               const LintOptions& options);

}  // namespace schemagate::lint
