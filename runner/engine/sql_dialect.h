#pragma once

#include <string>
#include <vector>

#include "engine/version_records.h"
#include "schemagate/common/result.h"
#include "sql/body_analyzer.h"

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
  /// Splits and checks one migration body by this engine's rules: what the
  /// migrator checks before anything runs and `--sql` prints. PostgreSQL's
  /// parser by default (sql::analyze_body).
  virtual Result<sql::Analysis> analyze_body(const std::string& path, const std::string& body,
                                             int first_line, bool transactional,
                                             bool wrapped_transaction) const {
    return sql::analyze_body(path, body, first_line, transactional, wrapped_transaction);
  }
  virtual std::string begin() const { return "BEGIN"; }
  virtual std::string commit() const { return "COMMIT"; }
};

}  // namespace schemagate::engine
