#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/database.h"

namespace schemagate::testing {

/// What a MemoryDatabase keeps; shared by the databases (connections) made
/// on it, as a server's tables are by its sessions.
struct MemoryStore {
  bool tables_exist = false;
  std::set<std::string> version_rows;
  struct Row {
    int64_t id;
    engine::HistoryRecord record;
  };
  std::vector<Row> history;
  int64_t next_id = 1;
  std::vector<std::string> executed;  ///< every statement that ran, in order
  std::string lock_holder;            ///< empty: free
  std::vector<engine::ForeignTable> foreign;
  std::set<std::string> objects;      ///< names existing_objects finds
  // What the runner asked, for tests of how little it asks.
  int state_reads = 0;
  int checksum_reads = 0;
  int locks_taken = 0;
  int ensure_tables_calls = 0;
};

/// An in-memory engine::Database for unit tests of what runs on it (the
/// migrator, the commands' decisions). Statements "run" by being logged; one
/// containing `fail_here` fails as a server error would (PostgreSQL fails it
/// too: there is no such relation), so the same migrations drive the
/// conformance suite on both.
class MemoryDatabase : public engine::Database {
 public:
  explicit MemoryDatabase(std::shared_ptr<MemoryStore> store = std::make_shared<MemoryStore>(),
                          std::string holder = "memory");

  MemoryStore& store() { return *store_; }

  Status guard(const std::function<Status()>& work) override;
  const engine::VersionTables& tables() const override { return tables_; }
  const engine::SqlDialect& dialect() const override;
  Result<std::unique_ptr<engine::MigrationLock>> lock(std::chrono::milliseconds timeout) override;
  engine::StoredState read_state() override;
  std::map<std::string, std::string> recorded_checksums() override;
  std::vector<engine::ForeignTable> foreign_tables() override { return store_->foreign; }
  std::vector<size_t> existing_objects(const std::vector<sql::CreatedObject>& objects) override;
  void ensure_tables() override;
  Status apply(const script::RevisionMap& map, const script::Migration& migration,
               const script::Step& step, bool durable) override;
  Status apply_repeatable(const script::Migration& migration) override;
  Status write_stamp(const std::vector<std::string>& removed, const std::vector<std::string>& added,
                     const std::vector<engine::HistoryRecord>& history) override;
  void record(const engine::HistoryRecord& record) override;
  int clear_blocking_failures() override;

 private:
  /// Runs `statements` of `migration`'s file; the error of the first that fails.
  Status run(const script::Migration& migration, const std::string& body, int first_line,
             std::vector<std::string>* ran);
  Status move_rows(std::set<std::string>& rows, const std::vector<std::string>& removed,
                   const std::vector<std::string>& added) const;
  engine::HistoryRecord history_of(const script::Migration& migration,
                                   const script::Step& step) const;

  std::shared_ptr<MemoryStore> store_;
  std::string holder_;
  engine::VersionTables tables_;
};

}  // namespace schemagate::testing
