#pragma once

#include <string>

#include "controller/reconciler.h"
#include "kube/object_client.h"
#include "migrationjob/decision.h"
#include "migrationjob/events.h"
#include "migrationjob/migration_metrics.h"
#include "watch/informer.h"
#include "watch/store.h"

namespace schemagate::workqueue {
class WorkQueue;
}

namespace schemagate::migrationjob {

/// The MigrationJob controller's reconciler (DESIGN §5): reads the object
/// from the cache and what it needs of the world from the API, lets
/// decide() say what should change, and makes those changes. The objects it
/// reads most (MigrationJobs, their Jobs, the Secrets they name) come from
/// informers' caches, so a reconcile that changes nothing sends nothing. Every write is
/// idempotent (deterministic Job and Event names, merge patches recording
/// what they replace, status written only when it differs), so a repeated
/// or interrupted reconcile converges instead of acting twice.
class MigrationReconciler final : public controller::Reconciler {
 public:
  /// `migration_jobs`, `jobs` and `secrets` are the informers' caches; `jobs`
  /// holds the Jobs this operator made (kManagedByLabel), `secrets` the
  /// Secrets as watch::strip_secret leaves them (their key names). Events go
  /// out through `events`, off the reconcile's path.
  MigrationReconciler(kube::ObjectClient& client, const watch::Store& migration_jobs,
                      const watch::Store& jobs, const watch::Store& secrets,
                      kube::EventQueue& events, MigrationMetrics* metrics = nullptr)
      : client_(client), migration_jobs_(migration_jobs), jobs_(jobs), secrets_(secrets),
        events_(events), metrics_(metrics) {}

  Result<controller::ReconcileResult> reconcile(const std::string& key) override;

 private:
  Result<Observed> observe(const MigrationJob& object);
  /// `observed` with the state of the database URL Secret, before a Job is
  /// made: from the cache, whose absence is an answer (the Secret's arrival
  /// re-queues the MigrationJob, see SecretReferences).
  Observed with_secret(const MigrationJob& object, Observed observed);
  /// The runner's report from the pods of the finished Job `job`.
  Result<std::optional<RunnerReport>> job_report(const std::string& ns, const std::string& job);
  /// `cached` is the object as the cache holds it, `object` its reading.
  Status apply(const Json& cached, const MigrationJob& object, const Decision& decision);
  /// A Job by name: from the cache, else from the server (a list by name,
  /// which the list permission covers).
  Result<std::optional<Json>> find_job(const std::string& ns, const std::string& name);
  /// Creates the current generation's Job; one that exists already (a
  /// stale cache missed it) is adopted, never made twice.
  Status create_job(const Json& job);
  /// Writes `status` unless the cached object has it already.
  Status write_status(const Json& cached, const MigrationJob& object, const DesiredStatus& status);
  Status set_finalizer(const MigrationJob& object, bool present);
  /// What an applied decision tells the metrics.
  void report(const MigrationJob& object, const Decision& decision);

  kube::ObjectClient& client_;
  const watch::Store& migration_jobs_;
  const watch::Store& jobs_;
  const watch::Store& secrets_;
  EventRecorder events_;
  MigrationMetrics* metrics_;
};

/// For the Job informer: enqueues the MigrationJob that controls each
/// changed Job (its controller ownerReference), so a finished Job is
/// reconciled at once rather than on the next resync.
watch::DeltaHandler enqueue_owners(workqueue::WorkQueue& queue);

}  // namespace schemagate::migrationjob
