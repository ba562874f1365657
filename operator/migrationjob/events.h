#pragma once

#include <string>

#include "kube/event_queue.h"
#include "migrationjob/decision.h"

namespace schemagate::migrationjob {

/// A core/v1 Event about `object`. Its name is made of the object's name,
/// generation and the reason, so the same news about the same generation
/// sent twice (after a crash between the action and its status write) is
/// refused as AlreadyExists instead of shown twice.
Json make_event(const MigrationJob& object, const EventSpec& event, const std::string& now);

/// Records a reconcile's Events: each is made at once (its timestamp is
/// when it happened) and handed to the queue, whose thread sends it, so the
/// reconcile goes on to its status write without waiting.
class EventRecorder {
 public:
  explicit EventRecorder(kube::EventQueue& queue) : queue_(queue) {}
  void record(const MigrationJob& object, const EventSpec& event);

 private:
  kube::EventQueue& queue_;
};

}  // namespace schemagate::migrationjob
