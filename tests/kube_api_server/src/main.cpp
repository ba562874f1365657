// kube-api-server: the in-memory Kubernetes API server as a process, for
// tests that drive it with kubectl or from another process.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "schemagate/common/logging.h"
#include "schemagate/testing/kube_api_server.h"

namespace {

constexpr const char* kUsage =
    "usage: kube-api-server --state-dir DIR [--port N] [--bind-host H] [--history-limit N]\n"
    "                       [--bookmark-interval-ms N] [--log-level L]\n";

bool parse(int argc, char** argv, schemagate::testing::KubeApiServer::Options& options,
           std::string& log_level) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h" || i + 1 >= argc) return false;
    std::string value = argv[++i];
    try {
      if (flag == "--state-dir") {
        options.state_dir = value;
      } else if (flag == "--port") {
        options.port = std::stoi(value);
      } else if (flag == "--bind-host") {
        options.bind_host = value;
      } else if (flag == "--history-limit") {
        options.history_limit = std::stoul(value);
      } else if (flag == "--bookmark-interval-ms") {
        options.bookmark_interval = std::chrono::milliseconds(std::stol(value));
      } else if (flag == "--log-level") {
        log_level = value;
      } else {
        return false;
      }
    } catch (const std::exception&) {
      return false;
    }
  }
  return !options.state_dir.empty();
}

}  // namespace

int main(int argc, char** argv) {
  schemagate::testing::KubeApiServer::Options options;
  std::string log_level = "info";
  if (!parse(argc, argv, options, log_level)) {
    std::cerr << kUsage;
    return 2;
  }
  schemagate::Status logging = schemagate::log::configure(schemagate::log::Format::kText, log_level);
  if (!logging.ok()) {
    std::cerr << logging.error().message() << "\n";
    return 2;
  }
  // Blocked before any thread starts, so every thread inherits the mask and
  // sigwait below is the only receiver.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = schemagate::testing::KubeApiServer::start(options);
  if (!server.ok()) {
    schemagate::log::error(server.error().message());
    return server.error().exit_code();
  }
  std::cout << (*server)->url() << std::endl;
  std::ofstream(options.state_dir / "ready") << (*server)->url() << "\n";
  schemagate::log::info("kube-api-server listening",
                        {{"url", (*server)->url()},
                         {"kubeconfig", (*server)->kubeconfig().string()}});
  int received = 0;
  sigwait(&signals, &received);
  schemagate::log::info("kube-api-server stopping", {{"signal", received}});
  (*server)->stop();
  return 0;
}
