#pragma once

#include <functional>

#include "kube/object.h"
#include "kube/resource.h"

namespace schemagate::watch {

/// What the cache keeps of an object (controller-runtime's cache transforms):
/// applied to each object as it arrives from a list or a watch, before the
/// store sees it, so the cache holds only what the controller reads.
using ObjectTransform = std::function<void(kube::Json&)>;

/// Drops what no reader of the cache needs: metadata.managedFields and
/// kubectl's last-applied-configuration annotation (a copy of the whole spec).
/// Writing a stripped object back is safe: the server keeps the managedFields
/// of an update that carries none, and a status update takes only status.
void strip_bookkeeping(kube::Json& object);

/// strip_bookkeeping, and a Job's spec (its pod template is most of a
/// defaulted Job): the controller reads a Job's metadata (name, namespace,
/// ownerReferences, annotations, resourceVersion) and its status, never what
/// it asked the Job for, and never writes a Job back.
void strip_job(kube::Json& object);

/// A Secret reduced to what the controller reads of it: its name, namespace
/// and resourceVersion, and the names of its data keys, each with an
/// empty value. The values (database URLs, passwords) never stay in the
/// operator's memory, and the cache costs about 200 bytes a Secret however
/// large the Secret is.
void strip_secret(kube::Json& object);

/// strip_job for batch jobs, strip_secret for Secrets, strip_bookkeeping for
/// everything else.
ObjectTransform cache_transform_for(const kube::ResourceRef& ref);

}  // namespace schemagate::watch
