#pragma once

#include <functional>
#include <string>

#include "kube/object_client.h"

namespace schemagate::kube {

/// Which part of the object an update writes.
enum class UpdateTarget { kObject, kStatus };

/// Read-modify-write that survives concurrent writers: reads the object,
/// lets `mutate` change a copy (returning false when there is nothing to
/// change), writes it with the resourceVersion it read, and on 409 Conflict
/// reads again and repeats, at most `attempts` times. Returns the object as
/// written (or as read when nothing changed).
ApiResult<Json> update_with_retry(ObjectClient& client, const ResourceRef& ref,
                                  const std::string& ns, const std::string& name,
                                  const std::function<bool(Json&)>& mutate,
                                  UpdateTarget target = UpdateTarget::kObject, int attempts = 5);

}  // namespace schemagate::kube
