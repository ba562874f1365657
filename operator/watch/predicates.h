#pragma once

#include "watch/informer.h"

namespace schemagate::watch {

/// Hands `handler` the changes and deletions of objects, and their additions
/// only when they already carry a status (controller-runtime's predicates are
/// the model). For children whose creation is the controller's own doing: the
/// reconcile that creates a Job records it in its MigrationJob's status, whose
/// event brings the owner back. Enqueued on the Job's arrival as well, the
/// owner would be reconciled again at once from a cache that has not yet seen
/// that status write: it would write the same status again with a stale
/// resourceVersion (409 Conflict, a GET, and a duplicate Event). A child that
/// first appears with a status has progress to report: one listed at start, or
/// one created and run while the watch was down, found by the relist after it.
DeltaHandler except_new_children(DeltaHandler handler);

}  // namespace schemagate::watch
