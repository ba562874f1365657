#pragma once

#include "cli/context.h"
#include "schemagate/common/result.h"

/// One short function per verb (as Alembic's command.py): they read the
/// context, call the script and engine layers, and print results.
namespace schemagate::commands {

// Authoring: create files.
Status init(cli::Context& context);
Status revision(cli::Context& context);
Status merge(cli::Context& context);

// Inspecting the revision graph.
Status heads(cli::Context& context);
Status branches(cli::Context& context);
Status history(cli::Context& context);
Status show(cli::Context& context);

// Against the database (DESIGN §3).
Status upgrade(cli::Context& context);
Status downgrade(cli::Context& context);
Status stamp(cli::Context& context);
Status repair(cli::Context& context);
Status current(cli::Context& context);
Status check(cli::Context& context);
Status verify(cli::Context& context);
Status wait(cli::Context& context);

// Checking revision bodies for dangerous DDL (runner/lint/).
Status lint(cli::Context& context);
// Comparing schemas on scratch databases of a dev server (runner/schema/).
Status test_round_trip(cli::Context& context);
Status diff_schema(cli::Context& context);
/// `check`, and when a schema is declared, whether the revisions build it.
Status check_with_schema(cli::Context& context);
/// `revision --autogenerate`: the revision(s) that reach the declared schema.
Status autogenerate_revision(cli::Context& context);

// Adopting another tool's history (runner/importers/).
Status import_history(cli::Context& context);

}  // namespace schemagate::commands
