#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "app/operator_app.h"
#include "app/options.h"
#include "app/signals.h"
#include "schemagate/common/build_info.h"
#include "schemagate/common/logging.h"

int main(int argc, char** argv) {
  using namespace schemagate;
  // The Deployment sets POD_NAMESPACE from the downward API: the Lease's default namespace.
  const char* pod_namespace = std::getenv("POD_NAMESPACE");
  auto options = app::parse_options(std::vector<std::string>(argv + 1, argv + argc),
                                    pod_namespace ? pod_namespace : "");
  if (!options) {
    std::cerr << "schemagate-operator: " << options.error().message() << "\n";
    return 2;
  }
  if (options->help) {
    std::cout << options->usage;
    return 0;
  }
  if (options->version) {
    std::cout << build_info::version_line("schemagate-operator") << "\n";
    return 0;
  }
  if (!options->completion_script.empty()) {
    std::cout << options->completion_script;
    return 0;
  }
  auto format = log::parse_format(options->log_format);
  if (!format) {
    std::cerr << "schemagate-operator: " << format.error().message() << "\n";
    return 2;
  }
  if (Status configured = log::configure(*format, options->log_level); !configured) {
    std::cerr << "schemagate-operator: " << configured.error().message() << "\n";
    return 2;
  }
  StopSignal stop;
  std::thread signals = app::stop_on_termination_signals(stop);
  int exit_code = app::run_operator(*options, stop);
  stop.request_stop();
  signals.join();
  return exit_code;
}
