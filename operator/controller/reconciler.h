#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "schemagate/common/result.h"

namespace schemagate::controller {

/// What a reconcile asks for besides success: to look again after a while
/// (e.g. while a Job runs), even if nothing changes.
struct ReconcileResult {
  std::optional<std::chrono::nanoseconds> requeue_after;
};

/// Converges the world to the desired state of one object. Level-based: it
/// reads the current state (the object may be gone), never relies on having
/// seen a particular event, and never modifies objects from the cache. An
/// error makes the key retry with per-key backoff.
class Reconciler {
 public:
  virtual ~Reconciler() = default;
  /// `key` is "namespace/name".
  virtual Result<ReconcileResult> reconcile(const std::string& key) = 0;
};

}  // namespace schemagate::controller
