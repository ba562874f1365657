#pragma once

#include <optional>
#include <string>

#include "kube/object.h"

namespace schemagate::migrationjob {

using kube::Json;

/// What holding a workload changed, kept in its kGateAnnotation so that
/// releasing restores exactly that and nothing a user set since.
struct GateRecord {
  std::string owner;  ///< "namespace/name" of the MigrationJob holding it; "" if unreadable
  std::string field;  ///< "spec.paused" or "spec.updateStrategy.rollingUpdate.partition"
  Json previous;      ///< the field's value before; null when it was unset
};

/// The record on `target`, if it is held.
std::optional<GateRecord> read_gate(const Json& target);

/// A JSON merge patch that holds `target` (a Deployment: spec.paused; a
/// StatefulSet with the RollingUpdate strategy: a partition above every
/// ordinal) for `owner`, recording what it replaces. nullopt when there is
/// nothing to do: already held (by anyone: one gate per workload), or a
/// StatefulSet with OnDelete, whose pods the controller never replaces.
/// The patch carries the resourceVersion read, so a concurrent change
/// makes it fail with 409 instead of recording a stale value.
std::optional<Json> hold_patch(const Json& target, const std::string& owner);

/// The merge patch that undoes `owner`'s hold; nullopt when `owner` does
/// not hold `target`.
std::optional<Json> release_patch(const Json& target, const std::string& owner);

}  // namespace schemagate::migrationjob
