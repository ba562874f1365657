#include "app/operator_app.h"

#include <unistd.h>

#include <functional>
#include <memory>
#include <thread>

#include "controller/controller.h"
#include "controller/leader_election.h"
#include "http/health.h"
#include "http/metrics.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/event_queue.h"
#include "migrationjob/migration_reconciler.h"
#include "migrationjob/resources.h"
#include "migrationjob/secret_references.h"
#include "schemagate/common/logging.h"
#include "watch/informer.h"
#include "watch/list_watcher.h"
#include "watch/predicates.h"
#include "workqueue/work_queue.h"

namespace schemagate::app {
namespace {

constexpr const char* kControllerName = "migrationjob";

std::string identity() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + "_" + std::to_string(getpid());
}

// Starts the server at `address` unless it is disabled ("0").
Result<std::unique_ptr<http::HttpServer>> serve(const std::string& address,
                                                std::map<std::string, http::Route> routes) {
  auto bind = http::parse_bind_address(address);
  if (!bind) return bind.error();
  if (!*bind) return std::unique_ptr<http::HttpServer>();
  return http::HttpServer::start(**bind, std::move(routes));
}

// The controller's workers, started on election and stopped (queue drained)
// when leadership ends.
class Workers {
 public:
  Workers(controller::Controller& controller, workqueue::WorkQueue& queue,
          std::function<bool()> synced, int count, StopSignal& stop)
      : controller_(controller), queue_(queue), synced_(std::move(synced)), count_(count),
        stop_(stop) {}
  ~Workers() { stop(); }

  void start() {
    thread_ = std::thread([this] {
      // Reconciling against a half-filled cache would act on missing objects.
      // Leadership can also end before the sync, which shuts the queue down.
      while (!synced_()) {
        if (stop_.wait_for(std::chrono::milliseconds(50)) || queue_.shutting_down()) return;
      }
      controller_.run(count_);
    });
  }

  void stop() {
    queue_.shut_down_with_drain();
    if (thread_.joinable()) thread_.join();
  }

 private:
  controller::Controller& controller_;
  workqueue::WorkQueue& queue_;
  std::function<bool()> synced_;
  int count_;
  StopSignal& stop_;
  std::thread thread_;
};

}  // namespace

int run_operator(const OperatorOptions& options, StopSignal& stop) {
  auto fail = [](const Error& error) {
    log::error(error.message(), {{"kind", to_string(error.code())}});
    return 1;
  };
  // Before the client, which counts its requests in it.
  http::OperatorMetrics metrics(kControllerName);
  auto config = kube::load_client_config(options.kubeconfig);
  if (!config) return fail(config.error());
  kube::ClientOptions client_options;
  client_options.metrics = &metrics;
  auto client = kube::Client::create(*config, client_options);
  if (!client) return fail(client.error());
  log::info("using API server", {{"server", (*config).server}, {"origin", (*config).origin}});

  http::Health health;
  auto metrics_server = serve(options.metrics_bind_address, metrics.routes());
  if (!metrics_server) return fail(metrics_server.error());
  auto probe_server = serve(options.health_probe_bind_address, health.routes());
  if (!probe_server) return fail(probe_server.error());

  watch::InformerOptions informer_options;
  informer_options.metrics = &metrics;
  watch::ClientListWatcher migration_job_source(**client, migrationjob::kMigrationJobs,
                                                options.watch_namespace);
  watch::Informer migration_jobs(migration_job_source, informer_options);
  // Only the Jobs this operator made: a cluster's other Jobs are none of its business.
  watch::ClientListWatcher job_source(
      **client, migrationjob::kJobs, options.watch_namespace,
      std::string(migrationjob::kManagedByLabel) + "=" + migrationjob::kManagedByValue);
  watch::Informer jobs(job_source, informer_options);
  // Every Secret of the namespace, as its key names only (watch::strip_secret):
  // the reconciler reads the database URL Secret from here instead of a GET.
  watch::ClientListWatcher secret_source(**client, migrationjob::kSecrets, options.watch_namespace,
                                         "", migrationjob::kSecretsFieldSelector);
  watch::Informer secrets(secret_source, informer_options);
  workqueue::WorkQueue queue(workqueue::default_controller_rate_limiter(), &metrics);
  migrationjob::SecretReferences secret_references;
  migration_jobs.add_handler(secret_references.track());
  migration_jobs.add_handler(watch::enqueue_keys(queue));
  migration_jobs.add_handler(migrationjob::count_phases(metrics));
  // A new Job is the reconcile's own doing; its changes are news.
  jobs.add_handler(watch::except_new_children(migrationjob::enqueue_owners(queue)));
  secrets.add_handler(secret_references.enqueue_referrers(queue));
  auto synced = [&migration_jobs, &jobs, &secrets] {
    return migration_jobs.has_synced() && jobs.has_synced() && secrets.has_synced();
  };
  health.add_readiness_check("informer-sync", synced);

  // Outlives the workers: what they recorded is sent before the operator exits.
  kube::EventQueue events(**client);
  migrationjob::MigrationReconciler reconciler(**client, migration_jobs.store(), jobs.store(),
                                               secrets.store(), events, &metrics);
  controller::Controller controller(kControllerName, queue, reconciler, &metrics);
  Workers workers(controller, queue, synced, options.workers, stop);

  std::thread migration_job_thread([&] { migration_jobs.run(stop); });
  std::thread job_thread([&] { jobs.run(stop); });
  std::thread secret_thread([&] { secrets.run(stop); });
  int exit_code = 0;
  if (options.leader_elect) {
    std::string lease_ns = options.leader_election_namespace.empty()
                               ? (*config).default_namespace
                               : options.leader_election_namespace;
    controller::KubeLeaseLock lock(**client, lease_ns, options.leader_election_id);
    controller::LeaderElectionConfig election;
    election.identity = identity();
    election.lease_duration = options.lease_duration;
    election.renew_deadline = options.renew_deadline;
    election.retry_period = options.retry_period;
    election.name = options.leader_election_id;
    election.metrics = &metrics;
    controller::LeaderElector elector(lock, election);
    bool stopped = elector.run(
        stop, [&workers] { workers.start(); }, [&workers] { workers.stop(); });
    if (!stopped) {
      // As controller-runtime: a replica that lost the lease exits, and its
      // restart campaigns again with an empty cache.
      exit_code = 1;
      stop.request_stop();
    }
  } else {
    workers.start();
    while (!stop.wait_for(std::chrono::hours(1))) {
    }
    workers.stop();
  }
  stop.request_stop();
  migration_job_thread.join();
  job_thread.join();
  secret_thread.join();
  log::info("operator stopped", {{"exit_code", exit_code}});
  return exit_code;
}

}  // namespace schemagate::app
