#pragma once

#include <ostream>

#include "schema/schema_comparison.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

namespace schemagate::schema {

/// Proves on a new scratch database of `dev` (dropped after) that every
/// revision's down undoes its up: for each revision in plan order it upgrades, reads the catalog,
/// downgrades (which must give back the catalog from before the upgrade) and
/// upgrades again (which must give the first upgrade's catalog); then it
/// downgrades to base (the empty catalog again) and upgrades to the heads.
/// Prints `ok REV, message` a revision to `out`. Exit 1 naming the first
/// revision that fails, with every object that differs; a failing migration
/// is exit 1 as in `upgrade`; the server's errors become typed errors as in
/// every command.
Status test_round_trip(const DevServer& dev, const script::ScriptDirectory& scripts,
                       std::ostream& out);

}  // namespace schemagate::schema
