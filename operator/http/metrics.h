#pragma once

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "controller/controller.h"
#include "http/http_server.h"
#include "watch/informer.h"
#include "workqueue/queue_metrics.h"

namespace schemagate::http {

/// The operator's Prometheus metrics, named as controller-runtime names them
/// (workqueue_*, controller_runtime_reconcile_*) so existing dashboards work,
/// plus schemagate_watch_restarts_total. One instance per process; the work
/// queue of controller `queue_name` reports through it.
class OperatorMetrics final : public workqueue::QueueMetrics,
                              public controller::ReconcileMetrics,
                              public watch::WatchMetrics {
 public:
  explicit OperatorMetrics(const std::string& queue_name);

  void on_add() override;
  void on_depth(std::size_t depth) override;
  void on_queue_latency(double seconds) override;
  void on_work_duration(double seconds) override;
  void on_retry() override;
  void on_reconcile(const std::string& controller, bool success, double seconds) override;
  void on_watch_restart(const std::string& resource, const std::string& reason) override;

  /// The Prometheus text exposition format of every metric.
  std::string render() const;
  /// /metrics.
  std::map<std::string, Route> routes() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Gauge& depth_;
  prometheus::Counter& adds_;
  prometheus::Counter& retries_;
  prometheus::Histogram& queue_latency_;
  prometheus::Histogram& work_duration_;
  prometheus::Family<prometheus::Counter>& reconcile_total_;
  prometheus::Family<prometheus::Counter>& reconcile_errors_;
  prometheus::Family<prometheus::Histogram>& reconcile_time_;
  prometheus::Family<prometheus::Counter>& watch_restarts_;
};

}  // namespace schemagate::http
