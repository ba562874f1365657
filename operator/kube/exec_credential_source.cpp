#include "kube/exec_credential_source.h"

#include "schemagate/common/logging.h"

namespace schemagate::kube {

Result<ExecCredentialSource::Current> ExecCredentialSource::get() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_ && (!cached_->expiration || clock_.wall_now() < *cached_->expiration)) {
    return Current{*cached_, generation_};
  }
  log::info("running the kubeconfig's exec credential plugin",
            {{"user", exec_.user}, {"command", exec_.command},
             {"why", cached_ ? "expired" : refused_ ? "refused" : "first use"}});
  cached_.reset();
  Result<std::string> output = runner_->run(exec_, exec_info_);
  if (!output) return output.error();
  Result<ExecCredential> credential = parse_exec_credential(*output, exec_);
  if (!credential) return credential.error();
  cached_ = std::move(*credential);
  refused_ = false;
  ++generation_;
  return Current{*cached_, generation_};
}

void ExecCredentialSource::invalidate(uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!cached_ || generation != generation_) return;
  log::info("the API server refused the exec plugin's credential; it runs again on the next "
            "request", {{"user", exec_.user}, {"command", exec_.command}});
  cached_.reset();
  refused_ = true;
}

}  // namespace schemagate::kube
