#include "engine/blocking_advice.h"

#include "engine/concurrent_index.h"
#include "sql/body_analyzer.h"

namespace schemagate::engine {

bool repeatable_revision(const script::Migration& migration, bool down) {
  Result<const script::Body*> body = script::body_for(migration, down);
  if (!body) return false;
  Result<sql::Analysis> analysis =
      sql::analyze_body(migration.path, (*body)->sql, (*body)->first_line, false);
  if (!analysis || analysis->statements.empty()) return false;
  for (const sql::AnalyzedStatement& analyzed : analysis->statements) {
    if (!repeatable_statement(analyzed.statement.sql)) return false;
  }
  return true;
}

std::string blocking_advice(const script::Migration& migration, bool down, int line) {
  const std::string command = down ? "downgrade" : "upgrade";
  if (repeatable_revision(migration, down)) {
    return "Run `schemagate " + command +
           "` again once the cause is fixed: the revision only builds or drops indexes "
           "concurrently, which is safe to repeat (an INVALID index left behind is dropped "
           "first)";
  }
  const std::string from = line > 0 ? "from line " + std::to_string(line) : "that did not run";
  std::string stamp_target = migration.revision.id;
  if (down) {
    stamp_target.clear();
    for (const std::string& parent : migration.revision.parents) {
      stamp_target += (stamp_target.empty() ? "" : " ") + parent;
    }
    if (stamp_target.empty()) stamp_target = "base";
  }
  return "Run the statements of " + migration.path + " " + from +
         " by hand, then `schemagate stamp " + stamp_target +
         "`; or undo the ones before them by hand, then `schemagate repair` (which clears the "
         "failure) and `schemagate " + command + "` to run the revision again from its start";
}

std::string step_failure_message(const script::Migration& migration, bool down,
                                 const std::string& where, int line, const std::string& cause,
                                 bool transactional) {
  std::string message = where + ": " + (down ? "down" : "up") + " of revision " +
                        migration.revision.id + " (" + migration.revision.message +
                        ") failed: " + cause;
  if (transactional) {
    return message + ". Its transaction was rolled back: the database is at the previous revision";
  }
  return message + ". It is not transactional: statements before line " + std::to_string(line) +
         " stay applied. " + blocking_advice(migration, down, line);
}

}  // namespace schemagate::engine
