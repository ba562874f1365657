#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "engine/database_url.h"
#include "schemagate/common/logging.h"

namespace {

/// Overwrites a `--database-url` or `--dev-url` argument in place, once it has been copied,
/// with its redacted form cut or padded to the same length, so that `ps`
/// shows no part of the password however short it is.
void hide_password_from_ps(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    char* value = nullptr;
    if (std::strncmp(argv[i], "--database-url=", 15) == 0) value = argv[i] + 15;
    if (std::strcmp(argv[i], "--database-url") == 0 && i + 1 < argc) value = argv[i + 1];
    if (std::strncmp(argv[i], "--dev-url=", 10) == 0) value = argv[i] + 10;
    if (std::strcmp(argv[i], "--dev-url") == 0 && i + 1 < argc) value = argv[i + 1];
    if (!value) continue;
    std::string redacted = schemagate::engine::redact_url(value);
    size_t length = std::strlen(value);
    std::memset(value, ' ', length);
    std::memcpy(value, redacted.data(), std::min(length, redacted.size()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  hide_password_from_ps(argc, argv);
  schemagate::cli::Outcome outcome = schemagate::cli::run(args, std::cout);
  std::cout.flush();
  if (outcome.error) {
    schemagate::log::error(outcome.error->message(),
                           {{"exit_code", outcome.exit_code},
                            {"kind", schemagate::to_string(outcome.error->code())}});
  }
  return outcome.exit_code;
}
