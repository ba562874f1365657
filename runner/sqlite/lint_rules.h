#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace schemagate::sqlite {

/// The lint rules that hold on SQLite: those about the application version
/// still running (a dropped or renamed table or column), a required column
/// added without a default, and transaction control in a body. The rest
/// check PostgreSQL's locks and rewrites (CONCURRENTLY, NOT VALID,
/// lock_timeout, table rewrites), its types, or its parser, none of which
/// SQLite has.
const std::vector<std::string>& sqlite_lint_rules();

/// `config` with every other rule turned off, whatever it said: what
/// `lint` runs for SQLite. The rules left on keep their configured level.
config::Config for_sqlite_lint(config::Config config);

}  // namespace schemagate::sqlite
