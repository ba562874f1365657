#include "migrationjob/migration_metrics.h"

#include "kube/json_path.h"
#include "migrationjob/phase.h"

namespace schemagate::migrationjob {

std::string phase_of(const kube::Json& object) {
  std::string phase = kube::string_at(object, {"status", "phase"});
  return phase.empty() ? to_string(Phase::kPending) : phase;
}

watch::DeltaHandler count_phases(MigrationMetrics& metrics) {
  return [&metrics](const watch::Delta& delta) {
    switch (delta.type) {
      case watch::Delta::Type::kAdded:
        metrics.on_phase_change("", phase_of(delta.object));
        break;
      case watch::Delta::Type::kUpdated: {
        std::string from = phase_of(delta.old_object);
        std::string to = phase_of(delta.object);
        if (from != to) metrics.on_phase_change(from, to);
        break;
      }
      case watch::Delta::Type::kDeleted:
        metrics.on_phase_change(phase_of(delta.object), "");
        break;
    }
  };
}

}  // namespace schemagate::migrationjob
