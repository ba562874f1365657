#pragma once

#include <string>

#include "kube/object.h"
#include "watch/informer.h"

namespace schemagate::migrationjob {

/// Hooks for schemagate's own metrics (the http layer implements them with
/// Prometheus types; tests record them).
class MigrationMetrics {
 public:
  virtual ~MigrationMetrics() = default;
  /// A MigrationJob in the cache changed phase; "" stands for not there
  /// (before it appeared, after it went).
  virtual void on_phase_change(const std::string& from, const std::string& to) = 0;
  /// A migration Job's outcome was recorded: "succeeded" or "failed",
  /// after running `seconds`.
  virtual void on_migration_finished(const std::string& outcome, double seconds) = 0;
  /// `workload` ("namespace/Kind/name") is held; said again while it stays held.
  virtual void on_rollout_held(const std::string& workload) = 0;
  /// The hold on `workload` ended.
  virtual void on_rollout_released(const std::string& workload) = 0;
};

/// The phase `object` is counted under: status.phase, or Pending before the
/// operator has written one.
std::string phase_of(const kube::Json& object);

/// For the MigrationJob informer: keeps the count by phase in step with the
/// cache (its relists included, which arrive as differences).
watch::DeltaHandler count_phases(MigrationMetrics& metrics);

}  // namespace schemagate::migrationjob
