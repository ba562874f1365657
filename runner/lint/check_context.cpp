#include "lint/check_context.h"

#include "lint/rule_catalog.h"
#include "sql/source_position.h"

namespace schemagate::lint {
namespace {

/// "about 1.2 million rows, 96 MB" from what the database says.
std::string size_note(const TableFacts& table) {
  std::string note;
  if (table.rows && *table.rows >= 0) note = "about " + std::to_string(*table.rows) + " rows, ";
  constexpr int64_t kMiB = int64_t{1} << 20;
  if (table.bytes >= kMiB) {
    note += std::to_string(table.bytes / kMiB) + " MB";
  } else {
    note += std::to_string(table.bytes / 1024) + " kB";
  }
  return note;
}

}  // namespace

const char* to_string(LockMode mode) {
  switch (mode) {
    case LockMode::kNone: return "no lock";
    case LockMode::kAccessShare: return "ACCESS SHARE";
    case LockMode::kRowShare: return "ROW SHARE";
    case LockMode::kRowExclusive: return "ROW EXCLUSIVE";
    case LockMode::kShareUpdateExclusive: return "SHARE UPDATE EXCLUSIVE";
    case LockMode::kShare: return "SHARE";
    case LockMode::kShareRowExclusive: return "SHARE ROW EXCLUSIVE";
    case LockMode::kExclusive: return "EXCLUSIVE";
    case LockMode::kAccessExclusive: return "ACCESS EXCLUSIVE";
  }
  return "no lock";
}

CheckContext::CheckContext(const BodyToLint& body, const sql::Statement& statement,
                           const Facts& facts, const LintOptions& options, BodyState& state,
                           std::vector<Finding>& findings)
    : body_(body),
      statement_(statement),
      facts_(facts),
      options_(options),
      state_(state),
      findings_(findings) {}

TableState CheckContext::table_state(const RelationName& table) const {
  if (state_.created_tables.count(table.name) != 0) return TableState::kNew;
  std::optional<TableFacts> known = facts_.table(table);
  if (!known) return TableState::kUnknown;
  // Absent from the database: a revision not applied yet creates it, so it
  // is as new as one created in this body.
  if (!known->exists) return TableState::kNew;
  return known->bytes == 0 ? TableState::kEmpty : TableState::kExisting;
}

bool CheckContext::lock_matters(const RelationName& table) const {
  TableState state = table_state(table);
  return state == TableState::kExisting || state == TableState::kUnknown;
}

std::string CheckContext::describe(const RelationName& table) const {
  std::optional<TableFacts> known = facts_.table(table);
  if (!known || !known->exists) return table.text();
  return table.text() + " (" + size_note(*known) + ")";
}

void CheckContext::takes(LockMode mode, const RelationName& table) {
  if (mode > strongest_ && lock_matters(table)) {
    strongest_ = mode;
    strongest_table_ = table;
  }
}

LockImpact CheckContext::impact(LockMode mode, const RelationName& table,
                                LockDuration duration) const {
  return LockImpact{to_string(mode), describe(table), duration};
}

void CheckContext::report(const char* rule, std::string message, std::optional<LockImpact> lock,
                          int location, std::string rewrite) {
  const Rule* known = find_rule(rule);
  Finding finding;
  finding.rule = rule;
  finding.severity = known != nullptr ? known->severity : Severity::kError;
  finding.path = body_.path;
  finding.line = location >= 0 ? sql::line_of_offset(statement_.sql, static_cast<size_t>(location),
                                                     statement_.line)
                               : statement_.line;
  finding.message = std::move(message);
  finding.lock = std::move(lock);
  finding.rewrite = !rewrite.empty() ? std::move(rewrite)
                                     : std::string(known != nullptr ? known->rewrite : "");
  findings_.push_back(std::move(finding));
}

void CheckContext::report_unsure(const char* rule, std::string message,
                                 std::optional<LockImpact> lock, int location) {
  report(rule, std::move(message), std::move(lock), location);
  findings_.back().severity = Severity::kWarning;
}

}  // namespace schemagate::lint
