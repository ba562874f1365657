#include "http/metrics.h"

#include <prometheus/text_serializer.h>

namespace schemagate::http {
namespace {

using prometheus::Histogram;

// Exponential buckets from 1 ms to about 16 min, as client-go's workqueue.
Histogram::BucketBoundaries duration_buckets() {
  Histogram::BucketBoundaries buckets;
  for (double bound = 0.001; bound < 1000; bound *= 4) buckets.push_back(bound);
  return buckets;
}

}  // namespace

OperatorMetrics::OperatorMetrics(const std::string& queue_name)
    : registry_(std::make_shared<prometheus::Registry>()),
      depth_(prometheus::BuildGauge()
                 .Name("workqueue_depth")
                 .Help("Current depth of the work queue")
                 .Register(*registry_)
                 .Add({{"name", queue_name}})),
      adds_(prometheus::BuildCounter()
                .Name("workqueue_adds_total")
                .Help("Total number of adds handled by the work queue")
                .Register(*registry_)
                .Add({{"name", queue_name}})),
      retries_(prometheus::BuildCounter()
                   .Name("workqueue_retries_total")
                   .Help("Total number of rate-limited re-adds handled by the work queue")
                   .Register(*registry_)
                   .Add({{"name", queue_name}})),
      queue_latency_(prometheus::BuildHistogram()
                         .Name("workqueue_queue_duration_seconds")
                         .Help("How long a key stays in the work queue before it is taken")
                         .Register(*registry_)
                         .Add({{"name", queue_name}}, duration_buckets())),
      work_duration_(prometheus::BuildHistogram()
                         .Name("workqueue_work_duration_seconds")
                         .Help("How long processing a key from the work queue takes")
                         .Register(*registry_)
                         .Add({{"name", queue_name}}, duration_buckets())),
      reconcile_total_(prometheus::BuildCounter()
                           .Name("controller_runtime_reconcile_total")
                           .Help("Total number of reconciliations per controller and result")
                           .Register(*registry_)),
      reconcile_errors_(prometheus::BuildCounter()
                            .Name("controller_runtime_reconcile_errors_total")
                            .Help("Total number of reconciliation errors per controller")
                            .Register(*registry_)),
      reconcile_time_(prometheus::BuildHistogram()
                          .Name("controller_runtime_reconcile_time_seconds")
                          .Help("Length of time per reconciliation per controller")
                          .Register(*registry_)),
      watch_restarts_(prometheus::BuildCounter()
                          .Name("schemagate_watch_restarts_total")
                          .Help("Watches reopened, per resource and reason "
                                "(closed, error, gone)")
                          .Register(*registry_)) {}

void OperatorMetrics::on_add() { adds_.Increment(); }
void OperatorMetrics::on_depth(std::size_t depth) { depth_.Set(static_cast<double>(depth)); }
void OperatorMetrics::on_queue_latency(double seconds) { queue_latency_.Observe(seconds); }
void OperatorMetrics::on_work_duration(double seconds) { work_duration_.Observe(seconds); }
void OperatorMetrics::on_retry() { retries_.Increment(); }

void OperatorMetrics::on_reconcile(const std::string& controller, bool success, double seconds) {
  reconcile_total_.Add({{"controller", controller}, {"result", success ? "success" : "error"}})
      .Increment();
  if (!success) reconcile_errors_.Add({{"controller", controller}}).Increment();
  reconcile_time_.Add({{"controller", controller}}, duration_buckets()).Observe(seconds);
}

void OperatorMetrics::on_watch_restart(const std::string& resource, const std::string& reason) {
  watch_restarts_.Add({{"resource", resource}, {"reason", reason}}).Increment();
}

std::string OperatorMetrics::render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

std::map<std::string, Route> OperatorMetrics::routes() const {
  return {{"/metrics", [this] {
             return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", render()};
           }}};
}

}  // namespace schemagate::http
