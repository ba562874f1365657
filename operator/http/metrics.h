#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "controller/controller.h"
#include "controller/leader_election.h"
#include "http/http_server.h"
#include "http/process_metrics.h"
#include "kube/request_metrics.h"
#include "migrationjob/migration_metrics.h"
#include "watch/informer.h"
#include "workqueue/queue_metrics.h"

namespace schemagate::http {

/// The operator's Prometheus metrics, named, typed and labelled as
/// controller-runtime and client-go name them (workqueue_*,
/// controller_runtime_*, rest_client_requests_total,
/// leader_election_master_status, process_*) so existing dashboards work,
/// plus schemagate_*: watch restarts, MigrationJobs by phase, migration run
/// times, rollouts held and how long. One instance per process; the work
/// queue of controller `controller_name` reports through it.
/// docs/observability.md lists every metric.
class OperatorMetrics final : public workqueue::QueueMetrics,
                              public controller::ReconcileMetrics,
                              public controller::LeaderMetrics,
                              public watch::WatchMetrics,
                              public kube::RequestMetrics,
                              public migrationjob::MigrationMetrics {
 public:
  explicit OperatorMetrics(const std::string& controller_name);

  void on_add() override;
  void on_depth(std::size_t depth) override;
  void on_queue_latency(double seconds) override;
  void on_work_duration(double seconds) override;
  void on_retry() override;
  void on_unfinished_work(double total_seconds, double longest_seconds) override;

  void on_reconcile(const std::string& controller, controller::ReconcileOutcome outcome,
                    double seconds) override;
  void on_workers(const std::string& controller, int count) override;
  void on_active_workers(const std::string& controller, int change) override;

  void on_leading(const std::string& name, bool leading) override;
  void on_watch_restart(const std::string& resource, const std::string& reason) override;
  void on_request(const std::string& method, const std::string& host, int code) override;

  void on_phase_change(const std::string& from, const std::string& to) override;
  void on_migration_finished(const std::string& outcome, double seconds) override;
  void on_rollout_held(const std::string& workload) override;
  void on_rollout_released(const std::string& workload) override;

  /// The Prometheus text exposition format of every metric.
  std::string render() const;
  /// /metrics.
  std::map<std::string, Route> routes() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  ProcessCollector process_;

  prometheus::Gauge& depth_;
  prometheus::Counter& adds_;
  prometheus::Counter& retries_;
  prometheus::Histogram& queue_latency_;
  prometheus::Histogram& work_duration_;
  prometheus::Gauge& unfinished_work_;
  prometheus::Gauge& longest_running_;
  prometheus::Family<prometheus::Counter>& reconcile_total_;
  prometheus::Family<prometheus::Counter>& reconcile_errors_;
  prometheus::Family<prometheus::Histogram>& reconcile_time_;
  prometheus::Family<prometheus::Gauge>& max_concurrent_;
  prometheus::Family<prometheus::Gauge>& active_workers_;
  prometheus::Family<prometheus::Gauge>& leader_;
  prometheus::Family<prometheus::Counter>& watch_restarts_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Gauge>& phases_;
  prometheus::Family<prometheus::Histogram>& migration_duration_;
  prometheus::Gauge& rollouts_held_;
  prometheus::Histogram& rollout_hold_;

  std::mutex holds_mutex_;
  /// When this process first saw each held workload held.
  std::map<std::string, std::chrono::steady_clock::time_point> holds_;
};

}  // namespace schemagate::http
