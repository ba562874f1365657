#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "kube/exec_credential.h"
#include "kube/exec_plugin.h"
#include "schemagate/common/clock.h"

namespace schemagate::kube {

/// The credentials of a kubeconfig `exec` user, as client-go keeps them: the
/// plugin runs on first use, its answer is kept until its
/// expirationTimestamp, and a 401 makes the next use run it again.
/// Thread-safe: concurrent requests share one run of the plugin.
class ExecCredentialSource {
 public:
  /// A credential and its generation, which names it to invalidate().
  struct Current {
    ExecCredential credential;
    uint64_t generation = 0;
  };

  ExecCredentialSource(ExecConfig exec, std::string exec_info, std::unique_ptr<PluginRunner> runner,
                       Clock& clock = Clock::real())
      : exec_(std::move(exec)), exec_info_(std::move(exec_info)), runner_(std::move(runner)),
        clock_(clock) {}

  /// The cached credential, or a fresh one from the plugin when there is
  /// none, it expired or was invalidated.
  Result<Current> get();

  /// The API server refused `generation` (401): forget it, so the next get()
  /// runs the plugin again, unless a newer one replaced it already (another
  /// request saw the 401 first).
  void invalidate(uint64_t generation);

  const ExecConfig& config() const { return exec_; }

 private:
  ExecConfig exec_;
  std::string exec_info_;
  std::unique_ptr<PluginRunner> runner_;
  Clock& clock_;
  std::mutex mutex_;
  std::optional<ExecCredential> cached_;
  uint64_t generation_ = 0;
  bool refused_ = false;  ///< the last credential was refused, for the log
};

}  // namespace schemagate::kube
