#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/database.h"
#include "engine/version_records.h"

namespace schemagate::engine {

/// How to reach the target database and behave there, merged from
/// schemagate.yaml, the command line and the environment (the command line
/// wins). Each engine reads what concerns it.
struct DatabaseSettings {
  std::string url;
  /// postgresql | sqlite: the URL's scheme, else schemagate.yaml's `engine`.
  std::string engine = "postgresql";
  VersionTables tables;
  std::string lock_mode = "advisory";  ///< PostgreSQL: advisory | table
  int64_t lock_key = 0;
  std::chrono::milliseconds lock_timeout{300000};
  std::chrono::milliseconds lease{30000};  ///< the table lease's lifetime
  std::chrono::milliseconds wait_for_db{0};
  ExecutorOptions executor;
  /// How often a statement still running is reported; zero turns it off.
  std::chrono::milliseconds progress_interval{5000};
  std::string applied_by;
};

}  // namespace schemagate::engine
