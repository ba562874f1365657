#pragma once

#include "app/options.h"
#include "schemagate/common/stop_signal.h"

namespace schemagate::app {

/// Runs the operator until `stop` is requested: probe and metrics servers,
/// the MigrationJob informer (on every replica, so standbys are ready and
/// warm), and, on the elected leader only, the controller workers. Shutdown
/// stops the informer, drains the queue, then releases the lease. Returns
/// the process exit code: 0 after `stop`, 1 when leadership was lost or the
/// operator could not start (the error is logged).
int run_operator(const OperatorOptions& options, StopSignal& stop);

}  // namespace schemagate::app
