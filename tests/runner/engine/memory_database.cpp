#include "memory_database.h"

#include <algorithm>

#include "sql/body_analyzer.h"

namespace schemagate::testing {
namespace {

using script::Direction;

/// Bookkeeping SQL as text for `--sql` tests: what each call was asked.
class MemoryDialect : public engine::SqlDialect {
 public:
  std::string create_tables(const engine::VersionTables& tables) const override {
    return "-- create " + tables.version_table + ", " + tables.history_table + "\n";
  }
  std::string allow_repeat_direction(const engine::VersionTables&) const override { return ""; }
  std::string delete_versions(const engine::VersionTables&,
                              const std::vector<std::string>& removed) const override {
    return "-- delete " + joined(removed);
  }
  std::string insert_versions(const engine::VersionTables&,
                              const std::vector<std::string>& added) const override {
    return "-- insert " + joined(added);
  }
  std::string insert_history(const engine::VersionTables&,
                             const engine::HistoryRecord& record) const override {
    return "-- history " + record.revision + " " + record.direction;
  }

 private:
  static std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
  }
};

class MemoryLock : public engine::MigrationLock {
 public:
  MemoryLock(std::shared_ptr<MemoryStore> store, std::string holder)
      : store_(std::move(store)), holder_(std::move(holder)) {}
  ~MemoryLock() override { release(); }

  Status acquire(std::chrono::milliseconds timeout) override {
    if (!store_->lock_holder.empty() && store_->lock_holder != holder_) {
      return Error(ErrorCode::kLockTimeout,
                   "gave up after " + std::to_string(timeout.count() / 1000) +
                       " s waiting for the migration lock, held by " + store_->lock_holder);
    }
    store_->lock_holder = holder_;
    ++store_->locks_taken;
    held_ = true;
    return {};
  }
  bool still_held() const override { return held_ && store_->lock_holder == holder_; }
  void release() override {
    if (held_ && store_->lock_holder == holder_) store_->lock_holder.clear();
    held_ = false;
  }

 private:
  std::shared_ptr<MemoryStore> store_;
  std::string holder_;
  bool held_ = false;
};

/// What a server says of the statement that failed.
constexpr const char* kMissingRelation = "relation \"fail_here\" does not exist";

}  // namespace

MemoryDatabase::MemoryDatabase(std::shared_ptr<MemoryStore> store, std::string holder)
    : store_(std::move(store)), holder_(std::move(holder)) {}

Status MemoryDatabase::guard(const std::function<Status()>& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    return Error(ErrorCode::kUnreachable, std::string("database error: ") + e.what());
  }
}

const engine::SqlDialect& MemoryDatabase::dialect() const {
  static const MemoryDialect dialect;
  return dialect;
}

Result<std::unique_ptr<engine::MigrationLock>> MemoryDatabase::lock(
    std::chrono::milliseconds timeout) {
  auto lock = std::make_unique<MemoryLock>(store_, holder_);
  Status acquired = lock->acquire(timeout);
  if (!acquired) return acquired.error();
  return std::unique_ptr<engine::MigrationLock>(std::move(lock));
}

void MemoryDatabase::ensure_tables() {
  ++store_->ensure_tables_calls;
  store_->tables_exist = true;
}

engine::StoredState MemoryDatabase::read_state() {
  ++store_->state_reads;
  engine::StoredState state;
  if (!store_->tables_exist) return state;
  state.version_table_exists = state.history_table_exists = true;
  state.version_rows.assign(store_->version_rows.begin(), store_->version_rows.end());
  state.history_rows = static_cast<int64_t>(store_->history.size());
  for (const MemoryStore::Row& row : store_->history) {
    const engine::HistoryRecord& record = row.record;
    if (record.blocking) {
      state.blocking.push_back(
          {record.revision, record.direction, record.started_at, record.error, false});
    }
    if (record.outcome != "succeeded" || record.checksum.empty()) continue;
    // Later rows win: the history is kept in id order.
    if (record.direction == "repeat" || record.direction == "stamp") {
      state.repeatable_checksums[record.revision] = record.checksum;
    }
  }
  return state;
}

std::map<std::string, std::string> MemoryDatabase::recorded_checksums() {
  ++store_->checksum_reads;
  std::map<std::string, std::string> checksums;
  for (const MemoryStore::Row& row : store_->history) {
    const engine::HistoryRecord& record = row.record;
    if (record.outcome != "succeeded" || record.checksum.empty()) continue;
    if (record.direction == "up" || record.direction == "stamp" || record.direction == "repair") {
      checksums[record.revision] = record.checksum;
    }
  }
  return checksums;
}

std::vector<size_t> MemoryDatabase::existing_objects(
    const std::vector<sql::CreatedObject>& objects) {
  std::vector<size_t> existing;
  for (size_t position = 0; position < objects.size(); ++position) {
    if (store_->objects.count(objects[position].name)) existing.push_back(position);
  }
  return existing;
}

Status MemoryDatabase::run(const script::Migration& migration, const std::string& body,
                           int first_line, std::vector<std::string>* ran) {
  Result<sql::Analysis> analysis = sql::analyze_body(migration.path, body, first_line,
                                                     migration.transactional,
                                                     migration.wrapped_transaction);
  if (!analysis) return analysis.error();
  for (const sql::AnalyzedStatement& analyzed : analysis->statements) {
    const sql::Statement& statement = analyzed.statement;
    if (statement.sql.find("fail_here") != std::string::npos) {
      return Error(ErrorCode::kMigrationFailed,
                   migration.path + ":" + std::to_string(statement.line) + "|" + kMissingRelation);
    }
    ran->push_back(statement.sql);
  }
  return {};
}

Status MemoryDatabase::move_rows(std::set<std::string>& rows,
                                 const std::vector<std::string>& removed,
                                 const std::vector<std::string>& added) const {
  size_t found = 0;
  for (const std::string& row : removed) found += rows.erase(row);
  if (found != removed.size()) {
    std::string expected;
    for (const std::string& row : removed) expected += (expected.empty() ? "" : ", ") + row;
    return engine::version_rows_moved(expected, std::to_string(found));
  }
  rows.insert(added.begin(), added.end());
  return {};
}

engine::HistoryRecord MemoryDatabase::history_of(const script::Migration& migration,
                                                 const script::Step& step) const {
  return engine::succeeded_record(migration.revision.id,
                                  step.direction == Direction::kUp ? "up" : "down",
                                  migration.checksum(), holder_);
}

Status MemoryDatabase::apply(const script::RevisionMap& map, const script::Migration& migration,
                             const script::Step& step, bool) {
  const bool down = step.direction == Direction::kDown;
  Result<const script::Body*> body = script::body_for(migration, down);
  if (!body) return body.error();
  const std::string verb = down ? "down" : "up";
  std::vector<std::string> ran;
  std::optional<int64_t> attempt;
  if (!migration.transactional) {
    engine::HistoryRecord started = history_of(migration, step);
    started.outcome = "failed";
    started.blocking = true;
    started.error = "interrupted: started and did not finish";
    attempt = store_->next_id;
    store_->history.push_back({store_->next_id++, started});
  }
  Status ran_all = run(migration, (*body)->sql, (*body)->first_line, &ran);
  if (!migration.transactional) {
    // Outside a transaction every statement that ran stays.
    store_->executed.insert(store_->executed.end(), ran.begin(), ran.end());
  }
  if (!ran_all) {
    const std::string text = ran_all.error().message();
    const size_t bar = text.find('|');
    if (bar == std::string::npos) return ran_all;
    const std::string where = text.substr(0, bar);
    const std::string message = text.substr(bar + 1);
    const std::string recorded = message + " (" + where + ")";
    if (attempt) {
      for (MemoryStore::Row& row : store_->history) {
        if (row.id == *attempt) row.record.error = recorded;
      }
    } else {
      engine::HistoryRecord failed = history_of(migration, step);
      failed.outcome = "failed";
      failed.error = recorded;
      record(failed);
    }
    return Error(ErrorCode::kMigrationFailed,
                 where + ": " + verb + " of revision " + migration.revision.id + " (" +
                     migration.revision.message + ") failed: " + message +
                     (attempt ? ". It is not transactional: the statements before it stay applied"
                              : ". Its transaction was rolled back: the database is at the "
                                "previous revision"));
  }
  std::set<std::string> rows = store_->version_rows;
  Status moved = move_rows(rows, map.ids(step.rows_removed), map.ids(step.rows_added));
  if (!moved) return moved;
  if (migration.transactional) {
    store_->executed.insert(store_->executed.end(), ran.begin(), ran.end());
  }
  store_->version_rows = rows;
  record(history_of(migration, step));
  if (attempt) {
    auto& history = store_->history;
    history.erase(std::remove_if(history.begin(), history.end(),
                                 [&](const MemoryStore::Row& row) { return row.id == *attempt; }),
                  history.end());
    for (MemoryStore::Row& row : history) {
      if (row.record.revision == migration.revision.id) row.record.blocking = false;
    }
  }
  return {};
}

Status MemoryDatabase::apply_repeatable(const script::Migration& migration) {
  std::vector<std::string> ran;
  engine::HistoryRecord record = engine::succeeded_record(
      migration.revision.id, "repeat", migration.checksum(), holder_);
  Status done = run(migration, migration.up.sql, migration.up.first_line, &ran);
  if (!done) {
    record.outcome = "failed";
    record.error = done.error().message();
    this->record(record);
    return Error(ErrorCode::kMigrationFailed,
                 "repeatable revision " + migration.revision.id + " failed: " +
                     done.error().message());
  }
  store_->executed.insert(store_->executed.end(), ran.begin(), ran.end());
  this->record(record);
  return {};
}

Status MemoryDatabase::write_stamp(const std::vector<std::string>& removed,
                                   const std::vector<std::string>& added,
                                   const std::vector<engine::HistoryRecord>& history) {
  std::set<std::string> rows = store_->version_rows;
  Status moved = move_rows(rows, removed, added);
  if (!moved) return moved;
  store_->version_rows = rows;
  for (const engine::HistoryRecord& record : history) this->record(record);
  clear_blocking_failures();
  return {};
}

void MemoryDatabase::record(const engine::HistoryRecord& record) {
  store_->history.push_back({store_->next_id++, record});
}

int MemoryDatabase::clear_blocking_failures() {
  int cleared = 0;
  for (MemoryStore::Row& row : store_->history) {
    if (row.record.blocking) {
      row.record.blocking = false;
      ++cleared;
    }
  }
  return cleared;
}

}  // namespace schemagate::testing
