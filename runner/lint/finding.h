#pragma once

#include <optional>
#include <string>

namespace schemagate::lint {

enum class Severity { kWarning, kError };

/// "warning" or "error".
const char* to_string(Severity severity);

/// How long a statement holds its lock in the worst case: what decides
/// whether production notices it.
enum class LockDuration {
  kInstant,       ///< a catalog change; the danger is the wait for the lock, not the hold
  kTableScan,     ///< every row is read under the lock (a constraint's validation)
  kTableRewrite,  ///< every row is written again, and every index rebuilt
  kIndexBuild,    ///< an index is built under the lock
};

/// "instant", "table scan", "table rewrite", "index build".
const char* to_string(LockDuration duration);

/// The table lock a statement takes and how long it keeps it.
struct LockImpact {
  std::string mode;   ///< PostgreSQL's name: "ACCESS EXCLUSIVE", "SHARE", ...
  std::string table;  ///< as written, with what the database says of its size when known
  LockDuration duration = LockDuration::kInstant;
};

/// One hazard in one statement of a revision.
struct Finding {
  std::string rule;  ///< an id of rule_catalog()
  Severity severity = Severity::kError;
  std::string path;
  int line = 0;             ///< 1-based file line of the statement (or its offending part)
  std::string message;      ///< what the statement does wrong, in its own terms
  std::optional<LockImpact> lock;  ///< nothing for hazards that are not about locks
  std::string rewrite;      ///< the safe way to get the same result
};

}  // namespace schemagate::lint
