#pragma once

#include <chrono>
#include <random>

namespace schemagate {

/// Capped exponential backoff with jitter: attempt n waits about
/// initial * multiplier^n, never more than `max`, spread by +-jitter so that
/// many waiters (32 init containers) do not retry in lockstep.
struct BackoffPolicy {
  std::chrono::milliseconds initial{50};
  std::chrono::milliseconds max{2000};
  double multiplier = 2.0;
  double jitter = 0.25;  ///< fraction of the delay, 0..1

  std::chrono::milliseconds delay(int attempt, std::mt19937_64& random) const;
};

}  // namespace schemagate
