#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "kube/object_client.h"

namespace schemagate::kube {

/// Sends core/v1 Events from a thread of its own, as client-go's event
/// broadcaster does, so that a reconcile never waits for an Event's POST:
/// - one thread, first in first out, so an object's Events arrive in the
///   order they were recorded;
/// - bounded: past `capacity` queued Events a new one is dropped and logged
///   (an Event is news for people, not state: the status carries the state);
/// - similar Events aggregated: one whose name is already queued is the same
///   news (Event names are deterministic), and is not queued twice; one the
///   server already has (AlreadyExists) counts as sent;
/// - a failed POST is logged, not retried.
/// Destroying the queue sends what is queued, for at most `drain_timeout`.
class EventQueue {
 public:
  explicit EventQueue(ObjectClient& client, std::size_t capacity = 1000,
                      std::chrono::milliseconds drain_timeout = std::chrono::seconds(5));
  ~EventQueue();
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  /// Queues `event` (with metadata.name and metadata.namespace); false when
  /// it was dropped (queue full) or aggregated with one already queued.
  bool post(Json event);
  /// Blocks until every Event posted so far has been sent or given up.
  void flush();
  /// Events dropped because the queue was full, since the start.
  std::size_t dropped() const;

 private:
  void run();
  void send(const Json& event);

  ObjectClient& client_;
  const std::size_t capacity_;
  const std::chrono::milliseconds drain_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Json> queue_;
  std::set<std::string> queued_;  ///< "namespace/name" of what queue_ holds
  std::size_t in_flight_ = 0;
  std::size_t dropped_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace schemagate::kube
