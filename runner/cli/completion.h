#pragma once

#include "cli/context.h"
#include "schemagate/common/completion.h"
#include "schemagate/common/result.h"

namespace schemagate::cli {

/// The command line as completion scripts see it: the command table, the
/// option definitions, and what their values complete to.
completion::Program completion_program();

/// `schemagate completion bash|zsh`: prints the script to stdout.
Status print_completion(Context& context);

}  // namespace schemagate::cli
