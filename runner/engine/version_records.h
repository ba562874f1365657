#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace schemagate::engine {

/// Names of the tables schemagate keeps in the target database.
struct VersionTables {
  std::string schema = "public";
  std::string version_table = "schemagate_version";
  std::string history_table = "schemagate_history";

  std::string version() const;  ///< quoted, schema-qualified
  std::string history() const;
  std::string lease() const;    ///< the lease row of `--lock-mode table`
};

/// One row of the history table.
struct HistoryRecord {
  std::string revision;
  std::string direction;   ///< up | down | stamp | repair | repeat
  std::string checksum;    ///< empty: NULL
  std::string started_at;  ///< ISO 8601 UTC
  int64_t duration_ms = 0;
  /// Instead of duration_ms: the time since the writing transaction began,
  /// taken by the server when the row is written (the row is sent with the
  /// migration's last statement, before the client knows how long it took).
  bool duration_of_transaction = false;
  std::string applied_by;
  std::string outcome;     ///< succeeded | failed
  std::string error;       ///< empty: NULL
  bool blocking = false;   ///< a failed non-transactional migration that blocks upgrades
};

/// The longest error text a history row keeps, in bytes: a server message
/// can be megabytes (a huge failing statement echoed back).
constexpr size_t kHistoryErrorLimit = 4000;

/// `text` cut to kHistoryErrorLimit bytes on a UTF-8 character boundary,
/// saying how much was cut.
std::string cut_for_history(const std::string& text);

/// A successful history row of `revision`, started now, taking no time:
/// what every writer fills in before adding its own details.
HistoryRecord succeeded_record(const std::string& revision, const std::string& direction,
                               const std::string& checksum, const std::string& applied_by);

/// Now, as ISO 8601 UTC with milliseconds (for history rows).
std::string utc_timestamp_now();

/// A stable lock key for a version table: any two runners that share a
/// version table contend for the same lock.
int64_t derive_lock_key(const std::string& schema, const std::string& version_table);

}  // namespace schemagate::engine
