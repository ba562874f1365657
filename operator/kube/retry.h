#pragma once

#include <functional>
#include <optional>

#include "kube/api_result.h"
#include "kube/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/logging.h"
#include "schemagate/common/stop_signal.h"

namespace schemagate::kube {

/// How long to keep trying a request that failed in a retryable way (429,
/// 5xx, transport): at most `max_attempts` in all, waiting the server's
/// Retry-After when it sent one (capped at `max_retry_after`), else the next
/// backoff delay.
struct RetryPolicy {
  int max_attempts = 5;
  BackoffPolicy backoff{std::chrono::milliseconds(200), std::chrono::seconds(10), 2.0, 0.2};
  Duration max_retry_after = std::chrono::seconds(60);
};

/// The delay before the next attempt after `error`.
Duration retry_delay(const RetryPolicy& policy, Backoff& backoff, const ApiError& error);

/// Calls `attempt` until it succeeds, fails in a way `should_retry` refuses
/// (by default: not ApiError::retryable()), the attempts run out or `stop` is
/// requested; returns the last outcome.
template <typename T>
ApiResult<T> with_retries(const RetryPolicy& policy, Clock& clock, const StopSignal& stop,
                          const std::function<ApiResult<T>()>& attempt,
                          const std::function<bool(const ApiError&)>& should_retry =
                              [](const ApiError& error) { return error.retryable(); }) {
  // Made at the first retry: seeding it reads the random device, and nearly
  // every request succeeds at once.
  std::optional<Backoff> backoff;
  for (int number = 1;; ++number) {
    ApiResult<T> outcome = attempt();
    if (outcome.ok() || !should_retry(outcome.error()) || number >= policy.max_attempts) {
      return outcome;
    }
    if (!backoff) backoff.emplace(policy.backoff);
    Duration delay = retry_delay(policy, *backoff, outcome.error());
    log::debug("retrying API request",
               {{"attempt", number},
                {"kind", to_string(outcome.error().kind())},
                {"delay_ms", static_cast<int64_t>(
                                 std::chrono::duration_cast<std::chrono::milliseconds>(delay)
                                     .count())}});
    if (!clock.sleep_for(delay, stop)) return outcome;
  }
}

}  // namespace schemagate::kube
