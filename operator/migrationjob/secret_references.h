#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "watch/informer.h"

namespace schemagate::workqueue {
class WorkQueue;
}

namespace schemagate::migrationjob {

/// Which MigrationJobs name which Secret (spec.database.urlSecretRef), so a
/// Secret's change re-queues them (controller-runtime's field index and
/// EnqueueRequestsFromMapFunc are the model): a MigrationJob stalled on a
/// missing Secret, or a missing key, proceeds as soon as the Secret's event
/// arrives, with no polling. Thread-safe: the MigrationJob informer records,
/// the Secret informer looks up.
class SecretReferences {
 public:
  /// For the MigrationJob informer: keeps the index in step with the cache.
  watch::DeltaHandler track();
  /// For the Secret informer: enqueues every MigrationJob naming the Secret.
  watch::DeltaHandler enqueue_referrers(workqueue::WorkQueue& queue);

  /// The keys ("namespace/name") of the MigrationJobs naming Secret `secret_key`.
  std::set<std::string> referrers(const std::string& secret_key) const;

 private:
  void record(const std::string& migration_job, const std::string& secret_key);

  mutable std::mutex mutex_;
  std::map<std::string, std::string> secret_of_;               ///< MigrationJob -> Secret
  std::map<std::string, std::set<std::string>> referrers_;  ///< Secret -> MigrationJobs
};

}  // namespace schemagate::migrationjob
