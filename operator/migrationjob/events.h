#pragma once

#include <string>

#include "kube/api_result.h"
#include "kube/object_client.h"
#include "migrationjob/decision.h"

namespace schemagate::migrationjob {

/// A core/v1 Event about `object`. Its name is made of the object's name,
/// generation and the reason, so the same news about the same generation
/// sent twice (after a crash between the action and its status write) is
/// refused as AlreadyExists instead of shown twice.
Json make_event(const MigrationJob& object, const EventSpec& event, const std::string& now);

/// Sends Events; one already recorded counts as sent.
class EventRecorder {
 public:
  explicit EventRecorder(kube::ObjectClient& client) : client_(client) {}
  kube::ApiStatus record(const MigrationJob& object, const EventSpec& event);

 private:
  kube::ObjectClient& client_;
};

}  // namespace schemagate::migrationjob
