#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "kube/config.h"
#include "schemagate/common/result.h"

namespace schemagate::kube {

/// Runs a credential plugin and returns what it printed on stdout; behind an
/// interface so that caching is tested without processes.
class PluginRunner {
 public:
  virtual ~PluginRunner() = default;
  /// `exec_info` is the value of KUBERNETES_EXEC_INFO. Errors (missing
  /// command, non-zero exit, timeout) name the kubeconfig user and say what
  /// to do.
  virtual Result<std::string> run(const ExecConfig& exec, const std::string& exec_info) = 0;
};

/// Runs the plugin as a child process, as kubectl does: its args, this
/// process's environment plus the exec env and KUBERNETES_EXEC_INFO, stdin
/// from /dev/null (the operator is not interactive), stderr passed through
/// to ours. Its output is capped at 1 MiB; it is killed after `timeout`.
class ProcessPluginRunner final : public PluginRunner {
 public:
  explicit ProcessPluginRunner(std::chrono::seconds timeout = std::chrono::seconds(60))
      : timeout_(timeout) {}
  Result<std::string> run(const ExecConfig& exec, const std::string& exec_info) override;

 private:
  std::chrono::seconds timeout_;
};

}  // namespace schemagate::kube
