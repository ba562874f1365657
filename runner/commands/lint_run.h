#pragma once

#include <string>
#include <vector>

#include "engine/migrator.h"
#include "config/config.h"
#include "lint/facts.h"
#include "lint/linter.h"
#include "lint/report.h"
#include "schemagate/common/result.h"
#include "script/script_directory.h"

/// What `lint` and `upgrade --safety-checks` share.
namespace schemagate::commands {

/// Lints the up bodies of `revisions` (in the order they run) with the
/// project's rule levels and each revision's lint-ignores. Exit 2 for an
/// unknown rule id in schemagate.yaml or in any revision's header.
Result<lint::Report> lint_revisions(const config::Config& config,
                                    const script::ScriptDirectory& scripts,
                                    const std::vector<script::RevisionMap::Index>& revisions,
                                    const lint::Facts& facts, const lint::LintOptions& options);

/// The revisions `upgrade TARGET` would run on the migrator's database.
Result<std::vector<script::RevisionMap::Index>> pending_revisions(
    engine::Migrator& migrator, const std::string& target = "heads");

/// How many findings are errors.
size_t error_count(const lint::Report& report);

}  // namespace schemagate::commands
