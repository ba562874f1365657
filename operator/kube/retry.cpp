#include "kube/retry.h"

#include <algorithm>

namespace schemagate::kube {

Duration retry_delay(const RetryPolicy& policy, Backoff& backoff, const ApiError& error) {
  // Keep the backoff sequence moving even when the server names the delay,
  // so a later failure without Retry-After does not start from the bottom.
  Duration computed = backoff.next();
  if (error.retry_after()) {
    return std::min<Duration>(*error.retry_after(), policy.max_retry_after);
  }
  return computed;
}

}  // namespace schemagate::kube
