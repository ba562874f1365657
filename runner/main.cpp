#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "schemagate/common/logging.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  schemagate::cli::Outcome outcome = schemagate::cli::run(args, std::cout);
  std::cout.flush();
  if (outcome.error) {
    schemagate::log::error(outcome.error->message(),
                           {{"exit_code", outcome.exit_code},
                            {"kind", schemagate::to_string(outcome.error->code())}});
  }
  return outcome.exit_code;
}
