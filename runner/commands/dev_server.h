#pragma once

#include <vector>

#include "cli/context.h"
#include "schema/declared_schema.h"
#include "schema/schema_comparison.h"
#include "schemagate/common/result.h"

namespace schemagate::commands {

/// The dev server of --dev-url, else `dev_url` of schemagate.yaml, with the
/// version tables and executor settings of the other commands. Exit 2 when
/// neither names one.
Result<schema::DevServer> dev_server(const cli::Context& context);

/// Whether schemagate.yaml or --schema declares a desired schema.
Result<bool> has_declared_schema(const cli::Context& context);

/// The declared schema: --schema PATH, else `schema`, else `schema_command`.
Result<std::vector<schema::SourceFile>> declared_sources(const cli::Context& context);

}  // namespace schemagate::commands
