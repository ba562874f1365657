#include "importers/transaction_mode.h"

#include "sql/body_analyzer.h"

namespace schemagate::importers {
namespace {

/// Checks every body of `migration` under one mode; `unwrapped` tells
/// whether a body lost its own BEGIN/COMMIT.
Status check_bodies(const SourceMigration& migration, bool transactional, bool wrapped,
                    bool& unwrapped) {
  unwrapped = false;
  for (const SourceBody* body : {&migration.up, migration.down ? &*migration.down : nullptr}) {
    if (body == nullptr) continue;
    Result<sql::Analysis> analysis =
        sql::analyze_body(body->path, body->sql, body->first_line, transactional, wrapped);
    if (!analysis) return analysis.error();
    unwrapped |= analysis->runnable_sql != body->sql;
  }
  return {};
}

}  // namespace

Result<TransactionMode> detect_transaction_mode(const SourceMigration& migration) {
  bool unwrapped = false;
  Status in_transaction;
  if (!migration.declared_nontransactional) {
    in_transaction = check_bodies(migration, true, true, unwrapped);
    if (in_transaction) return TransactionMode{true, unwrapped};
  }
  Status outside = check_bodies(migration, false, false, unwrapped);
  if (outside) return TransactionMode{false, false};
  // Neither mode fits: the body both needs to run outside a transaction and
  // controls one of its own. Say both sides.
  std::string message = outside.error().message();
  if (!in_transaction) message += "; and run in a transaction: " + in_transaction.error().message();
  return Error(ErrorCode::kInvalid,
               message + ". Split the migration so statements that cannot run in a transaction "
                         "stand in a file of their own without BEGIN/COMMIT");
}

}  // namespace schemagate::importers
