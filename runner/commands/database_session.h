#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "cli/context.h"
#include "engine/connector.h"
#include "engine/executor.h"
#include "engine/migration_lock.h"
#include "engine/progress_watcher.h"
#include "engine/version_store.h"
#include "schemagate/common/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"

namespace schemagate::commands {

/// Everything the database commands need, merged from schemagate.yaml, the
/// command line and the environment (the command line wins).
struct DatabaseSettings {
  std::string url;
  engine::VersionTables tables;
  std::string lock_mode = "advisory";
  int64_t lock_key = 0;
  std::chrono::milliseconds lock_timeout{300000};
  std::chrono::milliseconds lease{30000};
  std::chrono::milliseconds wait_for_db{0};
  engine::ExecutorOptions executor;
  engine::ProgressOptions progress;
  std::string applied_by;
};

/// Reads the settings. The URL is only required when `need_url`.
Result<DatabaseSettings> database_settings(const cli::Context& context, bool need_url = true);

/// A connection to the target database and, when asked for, the migration
/// lock, held until the session is destroyed.
class DatabaseSession {
 public:
  static Result<std::unique_ptr<DatabaseSession>> open(const DatabaseSettings& settings,
                                                       bool take_lock);

  pqxx::connection& connection() { return *connection_; }
  engine::VersionStore& store() { return *store_; }
  const engine::MigrationLock* lock() const { return lock_.get(); }
  Clock& clock() { return clock_; }
  /// The backend pid the server announced, kept to explain its loss.
  int backend_pid() const { return backend_pid_; }

 private:
  DatabaseSession() = default;

  Clock& clock_ = Clock::real();
  int backend_pid_ = 0;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<engine::VersionStore> store_;
  std::unique_ptr<engine::MigrationLock> lock_;
};

/// Runs `work`, turning exceptions from the database layer into typed errors
/// whose text never holds the password of `url`. A lost connection whose
/// backend was `backend_pid` (non-zero) is explained by asking the server.
Status guarded(const std::string& url, const std::function<Status()>& work,
               int backend_pid = 0);

}  // namespace schemagate::commands
