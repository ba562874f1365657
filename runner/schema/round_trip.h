#pragma once

#include <ostream>

#include <pqxx/pqxx>

#include "engine/executor.h"
#include "engine/version_store.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

namespace schemagate::schema {

/// Proves on an empty scratch database that every revision's down undoes
/// its up: for each revision in plan order it upgrades, reads the catalog,
/// downgrades (which must give back the catalog from before the upgrade) and
/// upgrades again (which must give the first upgrade's catalog); then it
/// downgrades to base (the empty catalog again) and upgrades to the heads.
/// Prints `ok REV, message` a revision to `out`. Exit 1 naming the first
/// revision that fails, with every object that differs; a failing migration
/// is exit 1 as in `upgrade`.
Status round_trip(pqxx::connection& connection, engine::VersionStore& store,
                  const script::ScriptDirectory& scripts, const engine::VersionTables& tables,
                  const engine::ExecutorOptions& options, std::ostream& out);

}  // namespace schemagate::schema
