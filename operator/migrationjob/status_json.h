#pragma once

#include "kube/object.h"
#include "migrationjob/status.h"

namespace schemagate::migrationjob {

/// A MigrationJob's status as the API server holds it; fields that are
/// absent or of the wrong type read as empty, an unknown phase as none.
MigrationJobStatus read_status(const kube::Json& status);

/// The status object the operator writes, in the CRD's field names
/// (deploy/crds): empty texts and zero attempts are left out, as are an
/// unset phase; message and the three conditions are always there.
kube::Json status_json(const MigrationJobStatus& status);

}  // namespace schemagate::migrationjob
