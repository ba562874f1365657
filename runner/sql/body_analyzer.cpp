#include "sql/body_analyzer.h"

#include "sql/meta_command.h"
#include "sql/source_position.h"

namespace schemagate::sql {
namespace {

Error invalid(const std::string& path, int line, const std::string& message) {
  return Error(ErrorCode::kInvalid, path + ":" + std::to_string(line) + ": " + message);
}

}  // namespace

Result<Analysis> analyze_body(const std::string& path, const std::string& body, int first_line,
                              bool transactional) {
  if (auto command = find_meta_command(body)) {
    return invalid(path, line_of_offset(body, command->offset, first_line),
                   "psql meta-command '" + command->name +
                       "' is not SQL; schemagate runs plain SQL");
  }
  Analysis analysis;
  for (Statement& statement : split_statements(body, first_line)) {
    Classification classification = classify_statement(statement.sql);
    if (classification.kind == StatementKind::kTransactionControl) {
      return invalid(path, statement.line,
                     classification.command +
                         " inside a migration body would break its atomicity; remove it (" +
                         (transactional
                              ? "each transactional migration already runs in one transaction)"
                              : "a non-transactional migration runs each statement on its own)"));
    }
    if (classification.kind == StatementKind::kNoTransactionBlock && transactional) {
      return invalid(path, statement.line,
                     classification.command +
                         " cannot run inside a transaction; mark the migration "
                         "'-- schemagate:transactional false'");
    }
    analysis.statements.push_back({std::move(statement), classification.kind});
  }
  return analysis;
}

}  // namespace schemagate::sql
