#pragma once

#include <memory>
#include <optional>
#include <thread>

#include "engine/database.h"
#include "engine/database_settings.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "schemagate/common/stop_signal.h"

namespace schemagate::commands {

/// A database being opened while the command does something else first:
/// a PostgreSQL connection is made on a thread of its own, so that its
/// round trips (and the server starting a backend for it) overlap the
/// reading of the migration directory, which is the kernel's work. Both
/// are most of a run that finds nothing to do. SQLite (a file) opens in
/// take().
class OpeningDatabase {
 public:
  /// Starts opening the database `settings` names, as open_database does.
  OpeningDatabase(const engine::DatabaseSettings& settings, Clock& clock = Clock::real());
  OpeningDatabase(const OpeningDatabase&) = delete;
  OpeningDatabase& operator=(const OpeningDatabase&) = delete;
  /// Not taken (the directory was broken): stops the retries of
  /// --wait-for-db, waits for an attempt under way, and closes what it
  /// opened, telling the server the session ends.
  ~OpeningDatabase();

  /// The database, once open (waiting for it); its error as open_database
  /// gives it. Once.
  Result<std::unique_ptr<engine::Database>> take();

 private:
  engine::DatabaseSettings settings_;
  Clock& clock_;
  StopSignal stop_;
  std::optional<Result<std::unique_ptr<engine::Database>>> opened_;
  std::thread thread_;
};

}  // namespace schemagate::commands
