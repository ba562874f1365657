#pragma once

#include <string>

#include "engine/sql_dialect.h"
#include "engine/version_records.h"
#include "schemagate/common/result.h"
#include "script/planner.h"
#include "script/script_directory.h"

namespace schemagate::engine {

/// The SQL that `--sql` prints for `plan`, runnable with `psql -f`: the
/// version tables, then each migration with its version row and history
/// changes, in a transaction of its own unless the migration is not
/// transactional. Nothing connects to a database.
Result<std::string> render_offline(const script::ScriptDirectory& scripts,
                                   const script::Plan& plan, const SqlDialect& dialect,
                                   const VersionTables& tables,
                                   const std::string& applied_by);

}  // namespace schemagate::engine
