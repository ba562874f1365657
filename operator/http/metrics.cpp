#include "http/metrics.h"

#include <prometheus/text_serializer.h>

#include "migrationjob/phase.h"

namespace schemagate::http {
namespace {

using prometheus::Histogram;

// client-go's workqueue: ExponentialBuckets(10ns, 10, 12), 10 ns to 1000 s.
Histogram::BucketBoundaries workqueue_buckets() {
  Histogram::BucketBoundaries buckets;
  for (double bound = 1e-8; buckets.size() < 12; bound *= 10) buckets.push_back(bound);
  return buckets;
}

// controller-runtime's controller_runtime_reconcile_time_seconds.
Histogram::BucketBoundaries reconcile_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6,
          0.7,   0.8,  0.9,   1.0,  1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5,
          6,     7,    8,     9,    10,   15,  20,   25,  30,  40,  50,  60};
}

// Migrations and the holds they cause last seconds to hours.
Histogram::BucketBoundaries long_buckets() {
  return {1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400};
}

}  // namespace

OperatorMetrics::OperatorMetrics(const std::string& controller_name)
    : registry_(std::make_shared<prometheus::Registry>()),
      depth_(prometheus::BuildGauge()
                 .Name("workqueue_depth")
                 .Help("Current depth of workqueue")
                 .Register(*registry_)
                 .Add({{"name", controller_name}, {"controller", controller_name}})),
      adds_(prometheus::BuildCounter()
                .Name("workqueue_adds_total")
                .Help("Total number of adds handled by workqueue")
                .Register(*registry_)
                .Add({{"name", controller_name}, {"controller", controller_name}})),
      retries_(prometheus::BuildCounter()
                   .Name("workqueue_retries_total")
                   .Help("Total number of retries handled by workqueue")
                   .Register(*registry_)
                   .Add({{"name", controller_name}, {"controller", controller_name}})),
      queue_latency_(prometheus::BuildHistogram()
                         .Name("workqueue_queue_duration_seconds")
                         .Help("How long in seconds an item stays in workqueue before being "
                               "requested")
                         .Register(*registry_)
                         .Add({{"name", controller_name}, {"controller", controller_name}},
                              workqueue_buckets())),
      work_duration_(prometheus::BuildHistogram()
                         .Name("workqueue_work_duration_seconds")
                         .Help("How long in seconds processing an item from workqueue takes.")
                         .Register(*registry_)
                         .Add({{"name", controller_name}, {"controller", controller_name}},
                              workqueue_buckets())),
      unfinished_work_(prometheus::BuildGauge()
                           .Name("workqueue_unfinished_work_seconds")
                           .Help("How many seconds of work has been done that is in progress "
                                 "and hasn't been observed by work_duration. Large values "
                                 "indicate stuck threads.")
                           .Register(*registry_)
                           .Add({{"name", controller_name}, {"controller", controller_name}})),
      longest_running_(prometheus::BuildGauge()
                           .Name("workqueue_longest_running_processor_seconds")
                           .Help("How many seconds has the longest running processor for "
                                 "workqueue been running.")
                           .Register(*registry_)
                           .Add({{"name", controller_name}, {"controller", controller_name}})),
      reconcile_total_(prometheus::BuildCounter()
                           .Name("controller_runtime_reconcile_total")
                           .Help("Total number of reconciliations per controller")
                           .Register(*registry_)),
      reconcile_errors_(prometheus::BuildCounter()
                            .Name("controller_runtime_reconcile_errors_total")
                            .Help("Total number of reconciliation errors per controller")
                            .Register(*registry_)),
      reconcile_time_(prometheus::BuildHistogram()
                          .Name("controller_runtime_reconcile_time_seconds")
                          .Help("Length of time per reconciliation per controller")
                          .Register(*registry_)),
      max_concurrent_(prometheus::BuildGauge()
                          .Name("controller_runtime_max_concurrent_reconciles")
                          .Help("Maximum number of concurrent reconciles per controller")
                          .Register(*registry_)),
      active_workers_(prometheus::BuildGauge()
                          .Name("controller_runtime_active_workers")
                          .Help("Number of currently used workers per controller")
                          .Register(*registry_)),
      leader_(prometheus::BuildGauge()
                  .Name("leader_election_master_status")
                  .Help("Gauge of if the reporting system is master of the relevant lease, 0 "
                        "indicates backup, 1 indicates master. 'name' is the string used to "
                        "identify the lease. Please make sure to group by name.")
                  .Register(*registry_)),
      watch_restarts_(prometheus::BuildCounter()
                          .Name("schemagate_watch_restarts_total")
                          .Help("Watches reopened, per resource and reason "
                                "(closed, error, gone)")
                          .Register(*registry_)),
      requests_(prometheus::BuildCounter()
                    .Name("rest_client_requests_total")
                    .Help("Number of HTTP requests, partitioned by status code, method, and host.")
                    .Register(*registry_)),
      phases_(prometheus::BuildGauge()
                  .Name("schemagate_migrationjobs")
                  .Help("MigrationJobs in the operator's cache, by status.phase (Pending "
                        "before the operator wrote a status)")
                  .Register(*registry_)),
      migration_duration_(prometheus::BuildHistogram()
                              .Name("schemagate_migration_duration_seconds")
                              .Help("Run time of migration Jobs, from their start to their "
                                    "completion, by outcome (succeeded, failed)")
                              .Register(*registry_)),
      rollouts_held_(prometheus::BuildGauge()
                         .Name("schemagate_rollouts_held")
                         .Help("Workloads whose rollout a MigrationJob holds now")
                         .Register(*registry_)
                         .Add({})),
      rollout_hold_(prometheus::BuildHistogram()
                        .Name("schemagate_rollout_hold_seconds")
                        .Help("How long a workload's rollout was held, from when this process "
                              "saw it held to its release")
                        .Register(*registry_)
                        .Add({}, long_buckets())) {
  // As controller-runtime: every series of a controller exists from the start.
  for (const char* result : {"success", "error", "requeue", "requeue_after"}) {
    reconcile_total_.Add({{"controller", controller_name}, {"result", result}});
  }
  reconcile_errors_.Add({{"controller", controller_name}});
  active_workers_.Add({{"controller", controller_name}});
  for (const auto& phase : migrationjob::kPhases) phases_.Add({{"phase", phase.name}});
  for (const char* outcome : {"succeeded", "failed"}) {
    migration_duration_.Add({{"outcome", outcome}}, long_buckets());
  }
}

void OperatorMetrics::on_add() { adds_.Increment(); }
void OperatorMetrics::on_depth(std::size_t depth) { depth_.Set(static_cast<double>(depth)); }
void OperatorMetrics::on_queue_latency(double seconds) { queue_latency_.Observe(seconds); }
void OperatorMetrics::on_work_duration(double seconds) { work_duration_.Observe(seconds); }
void OperatorMetrics::on_retry() { retries_.Increment(); }

void OperatorMetrics::on_unfinished_work(double total_seconds, double longest_seconds) {
  unfinished_work_.Set(total_seconds);
  longest_running_.Set(longest_seconds);
}

void OperatorMetrics::on_reconcile(const std::string& controller,
                                   controller::ReconcileOutcome outcome, double seconds) {
  reconcile_total_.Add({{"controller", controller}, {"result", to_string(outcome)}}).Increment();
  if (outcome == controller::ReconcileOutcome::kError) {
    reconcile_errors_.Add({{"controller", controller}}).Increment();
  }
  reconcile_time_.Add({{"controller", controller}}, reconcile_buckets()).Observe(seconds);
}

void OperatorMetrics::on_workers(const std::string& controller, int count) {
  max_concurrent_.Add({{"controller", controller}}).Set(count);
}

void OperatorMetrics::on_active_workers(const std::string& controller, int change) {
  active_workers_.Add({{"controller", controller}}).Increment(change);
}

void OperatorMetrics::on_leading(const std::string& name, bool leading) {
  leader_.Add({{"name", name}}).Set(leading ? 1 : 0);
}

void OperatorMetrics::on_watch_restart(const std::string& resource, const std::string& reason) {
  watch_restarts_.Add({{"resource", resource}, {"reason", reason}}).Increment();
}

void OperatorMetrics::on_request(const std::string& method, const std::string& host, int code) {
  std::string code_text = code > 0 ? std::to_string(code) : "<error>";
  requests_.Add({{"code", code_text}, {"method", method}, {"host", host}}).Increment();
}

void OperatorMetrics::on_phase_change(const std::string& from, const std::string& to) {
  if (!from.empty()) phases_.Add({{"phase", from}}).Decrement();
  if (!to.empty()) phases_.Add({{"phase", to}}).Increment();
}

void OperatorMetrics::on_migration_finished(const std::string& outcome, double seconds) {
  migration_duration_.Add({{"outcome", outcome}}, long_buckets()).Observe(seconds);
}

void OperatorMetrics::on_rollout_held(const std::string& workload) {
  std::lock_guard<std::mutex> lock(holds_mutex_);
  holds_.emplace(workload, std::chrono::steady_clock::now());
  rollouts_held_.Set(static_cast<double>(holds_.size()));
}

void OperatorMetrics::on_rollout_released(const std::string& workload) {
  std::lock_guard<std::mutex> lock(holds_mutex_);
  auto held = holds_.find(workload);
  if (held == holds_.end()) return;
  rollout_hold_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - held->second).count());
  holds_.erase(held);
  rollouts_held_.Set(static_cast<double>(holds_.size()));
}

std::string OperatorMetrics::render() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  for (auto& family : process_.Collect()) families.push_back(std::move(family));
  return prometheus::TextSerializer().Serialize(families);
}

std::map<std::string, Route> OperatorMetrics::routes() const {
  return {{"/metrics", [this] {
             return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", render()};
           }}};
}

}  // namespace schemagate::http
