#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kube/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/stop_signal.h"
#include "watch/list_watcher.h"
#include "watch/store.h"

namespace schemagate::workqueue {
class WorkQueue;
}

namespace schemagate::watch {

/// Hook for /metrics: the watch was reopened, and why ("closed", "error",
/// "gone").
class WatchMetrics {
 public:
  virtual ~WatchMetrics() = default;
  virtual void on_watch_restart(const std::string& resource, const std::string& reason) = 0;
};

struct InformerOptions {
  /// Waits between failed lists and broken watches.
  kube::BackoffPolicy backoff{std::chrono::milliseconds(100), std::chrono::seconds(30), 2.0, 0.2};
  Clock* clock = &Clock::real();
  WatchMetrics* metrics = nullptr;
};

/// Called on the informer's thread for every change of the cache.
using DeltaHandler = std::function<void(const Delta&)>;

/// Keeps a Store in step with the API server (client-go's reflector and
/// informer): list, then watch from the list's resourceVersion with
/// bookmarks; after a broken or ended stream, watch again from the last
/// resourceVersion seen; when that version is too old (410 Gone, as an HTTP
/// answer or as a watch ERROR event), list again and hand the differences to
/// the handlers, so objects deleted during the gap arrive as deletes.
class Informer {
 public:
  Informer(ListWatcher& source, InformerOptions options = {});

  /// Registers a handler; call before run().
  void add_handler(DeltaHandler handler);

  /// Lists and watches until `stop` is requested.
  void run(StopSignal& stop);

  /// True once the first list is in the store.
  bool has_synced() const { return synced_; }
  const Store& store() const { return store_; }
  /// The resourceVersion a resumed watch would start from.
  std::string resource_version() const;

 private:
  enum class WatchEnd { kClosed, kGone, kFailed, kStopped };

  bool relist();
  /// `saw_events`: the stream delivered something; `retry_after`: the
  /// server's requested wait when it refused the watch.
  WatchEnd watch_once(StopSignal& stop, bool& saw_events,
                      std::optional<std::chrono::seconds>& retry_after);
  void deliver(const Delta& delta);
  void restarted(const std::string& reason);

  ListWatcher& source_;
  InformerOptions options_;
  Store store_;
  std::vector<DeltaHandler> handlers_;
  std::atomic<bool> synced_{false};
  mutable std::mutex version_mutex_;
  std::string resource_version_;
};

/// A handler that adds the key of every changed object to `queue`.
DeltaHandler enqueue_keys(workqueue::WorkQueue& queue);

}  // namespace schemagate::watch
