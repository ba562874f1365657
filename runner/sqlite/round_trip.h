#pragma once

#include <ostream>

#include "engine/database_settings.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

namespace schemagate::sqlite {

/// `schemagate test` on SQLite: schema::round_trip's proof (every
/// revision's down undoes its up, upgrading again gives the same schema,
/// downgrade base empties it, upgrade heads rebuilds it) on a fresh database
/// in memory: no dev server, nothing left behind. Schemas are compared by
/// schema_snapshot.h. Prints `ok REV, message` a revision; exit 1 naming
/// the first revision that fails, with every difference.
Status test_round_trip(const engine::DatabaseSettings& settings,
                       const script::ScriptDirectory& scripts, std::ostream& out);

}  // namespace schemagate::sqlite
