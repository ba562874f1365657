#include "faults.h"

namespace schemagate::testing::kube {

void Faults::fail_next(int count, int status, int retry_after_seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  remaining_failures_ = count;
  failure_status_ = status;
  retry_after_seconds_ = retry_after_seconds;
}

void Faults::set_latency(std::chrono::milliseconds latency) {
  std::lock_guard<std::mutex> lock(mutex_);
  latency_ = latency;
}

std::chrono::milliseconds Faults::latency() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latency_;
}

std::optional<ApiError> Faults::take_failure() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (remaining_failures_ <= 0) return std::nullopt;
  --remaining_failures_;
  if (failure_status_ == 429) return too_many_requests(retry_after_seconds_);
  ApiError error = internal_error("injected fault");
  error.code = failure_status_;
  return error;
}

}  // namespace schemagate::testing::kube
