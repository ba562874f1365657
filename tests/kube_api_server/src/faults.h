#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "api_error.h"

namespace schemagate::testing::kube {

/// Failures and latency a test asked the server to inject into API requests.
class Faults {
 public:
  void fail_next(int count, int status, int retry_after_seconds);
  void set_latency(std::chrono::milliseconds latency);
  std::chrono::milliseconds latency() const;
  /// The failure this request must answer with, if any is still due (it is used up).
  std::optional<ApiError> take_failure();

 private:
  mutable std::mutex mutex_;
  int remaining_failures_ = 0;
  int failure_status_ = 500;
  int retry_after_seconds_ = 1;
  std::chrono::milliseconds latency_{0};
};

}  // namespace schemagate::testing::kube
