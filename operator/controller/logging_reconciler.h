#pragma once

#include "controller/reconciler.h"
#include "watch/store.h"

namespace schemagate::controller {

/// A reconciler that only logs what the cache holds for each key. The binary
/// runs it until the MigrationJob reconciler exists, so that the watch, queue,
/// leader election and metrics can be run and observed end to end. It writes
/// nothing to the cluster.
class LoggingReconciler final : public Reconciler {
 public:
  LoggingReconciler(std::string kind, const watch::Store& store)
      : kind_(std::move(kind)), store_(store) {}
  Result<ReconcileResult> reconcile(const std::string& key) override;

 private:
  std::string kind_;
  const watch::Store& store_;
};

}  // namespace schemagate::controller
