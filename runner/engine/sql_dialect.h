#pragma once

#include <string>
#include <vector>

#include "engine/version_records.h"

namespace schemagate::engine {

/// The SQL of an engine's bookkeeping as text: what `--sql` prints, runnable
/// with the engine's own shell, without a connection.
class SqlDialect {
 public:
  virtual ~SqlDialect() = default;
  /// Creates the version and history tables when missing.
  virtual std::string create_tables(const VersionTables& tables) const = 0;
  /// Lets an older history table take `repeat` rows (empty when nothing to do).
  virtual std::string allow_repeat_direction(const VersionTables& tables) const = 0;
  virtual std::string delete_versions(const VersionTables& tables,
                                      const std::vector<std::string>& removed) const = 0;
  virtual std::string insert_versions(const VersionTables& tables,
                                      const std::vector<std::string>& added) const = 0;
  virtual std::string insert_history(const VersionTables& tables,
                                     const HistoryRecord& record) const = 0;
  virtual std::string begin() const { return "BEGIN"; }
  virtual std::string commit() const { return "COMMIT"; }
};

}  // namespace schemagate::engine
