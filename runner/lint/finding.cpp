#include "lint/finding.h"

namespace schemagate::lint {

const char* to_string(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

const char* to_string(LockDuration duration) {
  switch (duration) {
    case LockDuration::kInstant: return "instant";
    case LockDuration::kTableScan: return "table scan";
    case LockDuration::kTableRewrite: return "table rewrite";
    case LockDuration::kIndexBuild: return "index build";
  }
  return "instant";
}

}  // namespace schemagate::lint
