#pragma once

#include <optional>
#include <string>

#include "kube/object.h"
#include "migrationjob/views.h"

namespace schemagate::migrationjob {

using kube::Json;

/// The record in `target`'s kGateAnnotation, if it is held.
std::optional<GateRecord> read_gate(const Json& target);

/// A JSON merge patch that holds `target` (a Deployment: spec.paused; a
/// StatefulSet with the RollingUpdate strategy: a partition above every
/// ordinal) for `owner`, recording what it replaces. nullopt when there is
/// nothing to do: already held (by anyone: one gate per workload), or a
/// StatefulSet with OnDelete, whose pods the controller never replaces.
/// The patch carries the resourceVersion read, so a concurrent change
/// makes it fail with 409 instead of recording a stale value.
std::optional<Json> hold_patch(const Workload& target, const std::string& owner);

/// The merge patch that undoes `owner`'s hold; nullopt when `owner` does
/// not hold `target`.
std::optional<Json> release_patch(const Workload& target, const std::string& owner);

}  // namespace schemagate::migrationjob
