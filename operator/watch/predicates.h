#pragma once

#include "watch/informer.h"

namespace schemagate::watch {

/// Hands `handler` the changes and deletions of objects, not their additions
/// (controller-runtime's predicate with a create function that says no). For
/// children whose creation is the controller's own doing: the reconcile that
/// creates a Job records it in its MigrationJob's status, whose event brings
/// the owner back. Enqueued on the Job's arrival as well, the owner would be
/// reconciled again at once from a cache that has not yet seen that status
/// write: it would write the same status again with a stale resourceVersion
/// (409 Conflict, a GET, and a duplicate Event). Objects that appear in a
/// relist are additions too: their owners come in the owners' own list.
DeltaHandler except_additions(DeltaHandler handler);

}  // namespace schemagate::watch
