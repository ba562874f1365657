#include "sqlite/executor.h"

#include <sqlite3.h>

#include "engine/blocking_advice.h"
#include "engine/pause.h"
#include "engine/sql_text.h"
#include "schemagate/common/logging.h"
#include "sql/source_position.h"
#include "sqlite/attempt_note.h"
#include "sqlite/body_analysis.h"

namespace schemagate::sqlite {
namespace {

using engine::HistoryRecord;
using engine::quote_literal;
using script::Direction;

const char* direction_name(Direction direction) {
  return direction == Direction::kUp ? "up" : "down";
}

std::string location(const script::Migration& migration, int line) {
  return migration.path + ":" + std::to_string(line);
}

/// The version rows were not where the step expected: another writer moved
/// them. Thrown inside the step's transaction, which is rolled back.
struct VersionRowsMoved {
  std::string expected;
  std::string found;
};

Error rows_moved(const VersionRowsMoved& moved) {
  return engine::version_rows_moved(moved.expected, moved.found);
}

/// The lease lost between two steps, found in the step's own transaction.
struct LeaseLost {};

/// A foreign key left pointing nowhere, found before the commit.
struct ForeignKeyViolation {
  std::string what;
};

SqliteError foreign_key_error(const ForeignKeyViolation& violation) {
  return SqliteError(SQLITE_CONSTRAINT_FOREIGNKEY,
                     "FOREIGN KEY constraint failed: " + violation.what +
                         " (checked before the commit, since foreign keys are off while "
                         "migrations run)");
}

/// Migration statements wait for the application's locks only as long as
/// --statement-lock-timeout says, as PostgreSQL's lock_timeout does.
class StatementTimeout {
 public:
  StatementTimeout(Connection& connection, const engine::DatabaseSettings& settings)
      : connection_(connection), settings_(settings) {
    connection_.set_busy_timeout(settings_.executor.statement_lock_timeout);
  }
  ~StatementTimeout() { connection_.set_busy_timeout(settings_.lock_timeout); }

 private:
  Connection& connection_;
  const engine::DatabaseSettings& settings_;
};

}  // namespace

Executor::Executor(Connection& connection, const engine::DatabaseSettings& settings,
                   const engine::VersionTables& tables, const SqliteDialect& dialect, Clock& clock,
                   LeaseLock* const& lease)
    : connection_(connection),
      settings_(settings),
      tables_(tables),
      dialect_(dialect),
      clock_(clock),
      lease_(lease),
      random_(std::random_device{}()) {}

void Executor::begin_write() {
  connection_.exec("BEGIN IMMEDIATE");
  if (lease_ && !lease_->renew_in(connection_)) throw LeaseLost{};
}

void Executor::check_foreign_keys() {
  std::vector<Row> violations = connection_.query("PRAGMA foreign_key_check");
  if (violations.empty()) return;
  const Row& first = violations.front();
  throw ForeignKeyViolation{
      std::to_string(violations.size()) + " row(s) break a foreign key, the first in table " +
      first[0].value_or("?") + " (rowid " + first[1].value_or("?") + "), which points into " +
      first[2].value_or("?") + " at no row"};
}

void Executor::write_version_change(const script::RevisionMap& map,
                                    const script::Step& step, const HistoryRecord& record) {
  const std::vector<std::string> removed = map.ids(step.rows_removed);
  if (!removed.empty()) {
    int64_t deleted = connection_.exec(dialect_.delete_versions(tables_, removed));
    if (deleted != static_cast<int64_t>(removed.size())) {
      throw VersionRowsMoved{map.describe(step.rows_removed), std::to_string(deleted)};
    }
  }
  const std::vector<std::string> added = map.ids(step.rows_added);
  if (!added.empty()) connection_.exec(dialect_.insert_versions(tables_, added));
  connection_.exec(dialect_.insert_history(tables_, record));
}

HistoryRecord Executor::history(const script::Migration& migration,
                                const script::Step& step,
                                const std::string& started_at) const {
  HistoryRecord record =
      engine::succeeded_record(migration.revision.id, direction_name(step.direction),
                               migration.checksum(), settings_.applied_by);
  record.started_at = started_at;
  record.duration_of_transaction = true;
  return record;
}

Status Executor::apply(const script::RevisionMap& map, const script::Migration& migration,
                       const script::Step& step, bool) {
  Result<const script::Body*> body =
      script::body_for(migration, step.direction == Direction::kDown);
  if (!body) return body.error();
  Result<sql::Analysis> analysis =
      analyze_body(migration.path, (*body)->sql, (*body)->first_line, migration.transactional,
                   migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  StatementTimeout timeout(connection_, settings_);
  return migration.transactional ? run_transactional(map, migration, step, *analysis)
                                 : run_statements(map, migration, step, *analysis);
}

Status Executor::run_transactional(const script::RevisionMap& map,
                                   const script::Migration& migration,
                                   const script::Step& step,
                                   const sql::Analysis& analysis) {
  const std::string started_at = engine::utc_timestamp_now();
  return in_one_transaction(migration, step, analysis, started_at, "revision", [&] {
    write_version_change(map, step, history(migration, step, started_at));
  });
}

Status Executor::in_one_transaction(const script::Migration& migration, const script::Step& step,
                                    const sql::Analysis& analysis, const std::string& started_at,
                                    const char* kind, const std::function<void()>& write_rows) {
  for (int attempt = 0;; ++attempt) {
    const sql::Statement* current = nullptr;
    try {
      begin_write();
      for (const sql::AnalyzedStatement& entry : analysis.statements) {
        current = &entry.statement;
        connection_.exec_script(entry.statement.sql);
      }
      current = nullptr;
      check_foreign_keys();
      write_rows();
      connection_.exec("COMMIT");
      return {};
    } catch (const SqliteError& error) {
      connection_.rollback_quietly();
      if (error.busy() && attempt < settings_.executor.lock_retries) {
        auto delay = settings_.executor.retry_backoff.delay(attempt, random_);
        log::warn("the database stayed locked beyond the busy timeout; the migration rolled "
                  "back and will be retried",
                  {{"revision", migration.revision.id},
                   {"attempt", attempt + 1},
                   {"retry_in_ms", int64_t(delay.count())}});
        engine::pause(clock_, delay);
        continue;
      }
      return failed(migration, step, current, error, started_at, std::nullopt);
    } catch (const VersionRowsMoved& moved) {
      connection_.rollback_quietly();
      return rows_moved(moved);
    } catch (const LeaseLost&) {
      connection_.rollback_quietly();
      return Error(ErrorCode::kLockTimeout,
                   std::string("the migration lease was lost before ") + kind + " " +
                       migration.revision.id +
                       "; another runner may have taken over. Nothing half done: run again");
    } catch (const ForeignKeyViolation& violation) {
      connection_.rollback_quietly();
      return failed(migration, step, nullptr, foreign_key_error(violation), started_at,
                    std::nullopt);
    }
  }
}

void Executor::run_alone(const script::Migration& migration,
                         const sql::Statement& statement) {
  for (int attempt = 0;; ++attempt) {
    try {
      connection_.exec_script(statement.sql);
      return;
    } catch (const SqliteError& error) {
      connection_.rollback_quietly();
      if (!error.busy() || attempt >= settings_.executor.lock_retries) throw;
      auto delay = settings_.executor.retry_backoff.delay(attempt, random_);
      log::warn("the database stayed locked beyond the busy timeout; retrying the statement",
                {{"revision", migration.revision.id}, {"line", statement.line},
                 {"attempt", attempt + 1}, {"retry_in_ms", int64_t(delay.count())}});
      engine::pause(clock_, delay);
    }
  }
}

Status Executor::run_statements(const script::RevisionMap& map,
                                const script::Migration& migration,
                                const script::Step& step, const sql::Analysis& analysis) {
  const std::string started_at = engine::utc_timestamp_now();
  const ProcessIdentity self = ProcessIdentity::self();
  HistoryRecord started = history(migration, step, started_at);
  started.duration_of_transaction = false;
  started.outcome = "failed";
  started.blocking = true;
  started.error = attempt_note(settings_.applied_by, self, started_at, "no statement had finished");
  int64_t attempt_id = 0;
  try {
    begin_write();
    connection_.exec(dialect_.insert_history(tables_, started));
    attempt_id = connection_.last_insert_id();
    connection_.exec("COMMIT");
  } catch (const LeaseLost&) {
    connection_.rollback_quietly();
    return Error(ErrorCode::kLockTimeout,
                 "the migration lease was lost before revision " + migration.revision.id +
                     "; another runner may have taken over. Nothing of it ran: run again");
  }
  auto note = [&](const std::string& text) {
    connection_.exec("UPDATE " + tables_.history() + " SET error = " +
                      quote_literal(engine::cut_for_history(text)) +
                      " WHERE id = " + std::to_string(attempt_id));
  };
  const size_t total = analysis.statements.size();
  for (size_t i = 0; i < total; ++i) {
    const sql::Statement& statement = analysis.statements[i].statement;
    try {
      run_alone(migration, statement);
    } catch (const SqliteError& error) {
      return failed(migration, step, &statement, error, started_at, attempt_id);
    }
    note(attempt_note(settings_.applied_by, self, started_at,
                       "statements 1-" + std::to_string(i + 1) + " of " + std::to_string(total) +
                           " finished, through line " + std::to_string(statement.line) + " of " +
                           migration.path));
  }
  try {
    begin_write();
    HistoryRecord done = history(migration, step, started_at);
    write_version_change(map, step, done);
    // The attempt is complete: its started row goes, and the rows of
    // earlier attempts that died stop blocking (they stay as history).
    connection_.exec("DELETE FROM " + tables_.history() + " WHERE id = " +
                      std::to_string(attempt_id));
    connection_.exec("UPDATE " + tables_.history() +
                      " SET blocking = 0 WHERE blocking AND revision = " +
                      quote_literal(migration.revision.id));
    connection_.exec("COMMIT");
  } catch (const VersionRowsMoved& moved) {
    connection_.rollback_quietly();
    return rows_moved(moved);
  } catch (const LeaseLost&) {
    connection_.rollback_quietly();
    return Error(ErrorCode::kLockTimeout,
                 "the migration lease was lost before the version rows of revision " +
                     migration.revision.id + " were written; its statements ran. Run again");
  }
  return {};
}

Error Executor::failed(const script::Migration& migration, const script::Step& step,
                       const sql::Statement* statement, const SqliteError& error,
                       const std::string& started_at, std::optional<int64_t> attempt_id) {
  int line = statement ? statement->line : 0;
  if (statement && error.offset() >= 0) {
    line = sql::line_of_offset(statement->sql, static_cast<size_t>(error.offset()),
                               statement->line);
  }
  std::string where = line > 0 ? location(migration, line) : migration.path;
  const std::string message = engine::step_failure_message(
      migration, step.direction == Direction::kDown, where, line,
      std::string(error.what()) + " (" + error.code_name() + ")", !attempt_id);
  const std::string recorded = std::string(error.what()) + " (" + where + ")";
  try {
    if (attempt_id) {
      connection_.exec("UPDATE " + tables_.history() + " SET error = " +
                        quote_literal(engine::cut_for_history(recorded)) +
                        " WHERE id = " + std::to_string(*attempt_id));
    } else {
      HistoryRecord record = history(migration, step, started_at);
      record.duration_of_transaction = false;
      record.outcome = "failed";
      record.error = recorded;
      this->record(record);
    }
  } catch (const std::exception& e) {
    log::error("could not record the failure in the history table", {{"error", e.what()}});
  }
  return Error(ErrorCode::kMigrationFailed, message);
}

Status Executor::apply_repeatable(const script::Migration& migration) {
  Result<const script::Body*> body = script::body_for(migration, false);
  if (!body) return body.error();
  Result<sql::Analysis> analysis =
      analyze_body(migration.path, (*body)->sql, (*body)->first_line, true,
                   migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  const std::string started_at = engine::utc_timestamp_now();
  StatementTimeout timeout(connection_, settings_);
  script::Step step;
  step.direction = Direction::kUp;
  return in_one_transaction(migration, step, *analysis, started_at, "repeatable", [&] {
    HistoryRecord record = engine::succeeded_record(migration.revision.id, "repeat",
                                                    migration.checksum(), settings_.applied_by);
    record.started_at = started_at;
    record.duration_of_transaction = true;
    connection_.exec(dialect_.insert_history(tables_, record));
  });
}

Status Executor::write_stamp(const std::vector<std::string>& removed,
                             const std::vector<std::string>& added,
                             const std::vector<HistoryRecord>& history) {
  try {
    begin_write();
    if (!removed.empty()) {
      int64_t deleted = connection_.exec(dialect_.delete_versions(tables_, removed));
      if (deleted != static_cast<int64_t>(removed.size())) {
        std::string expected;
        for (const std::string& row : removed) expected += (expected.empty() ? "" : ", ") + row;
        throw VersionRowsMoved{expected, std::to_string(deleted)};
      }
    }
    if (!added.empty()) connection_.exec(dialect_.insert_versions(tables_, added));
    for (const HistoryRecord& record : history) {
      connection_.exec(dialect_.insert_history(tables_, record));
    }
    connection_.exec("UPDATE " + tables_.history() + " SET blocking = 0 WHERE blocking");
    connection_.exec("COMMIT");
    return {};
  } catch (const VersionRowsMoved& moved) {
    connection_.rollback_quietly();
    return rows_moved(moved);
  } catch (const LeaseLost&) {
    connection_.rollback_quietly();
    return Error(ErrorCode::kLockTimeout,
                 "the migration lease was lost before the stamp; nothing written: run again");
  }
}

void Executor::record(const HistoryRecord& record) {
  connection_.rollback_quietly();
  connection_.exec("BEGIN IMMEDIATE");
  try {
    connection_.exec(dialect_.insert_history(tables_, record));
    connection_.exec("COMMIT");
  } catch (...) {
    connection_.rollback_quietly();
    throw;
  }
}

}  // namespace schemagate::sqlite
