#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "schemagate/common/backoff.h"

namespace schemagate::kube {

using Duration = std::chrono::nanoseconds;
using schemagate::BackoffPolicy;

/// One running sequence of delays of a BackoffPolicy: each next() is the
/// following attempt's delay. Not thread-safe: one per loop.
class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, std::uint64_t seed = std::random_device{}())
      : policy_(policy), random_(seed) {}

  Duration next() { return policy_.delay(attempt_++, random_); }
  /// Back to the first delay (after a success).
  void reset() { attempt_ = 0; }

 private:
  BackoffPolicy policy_;
  int attempt_ = 0;
  std::mt19937_64 random_;
};

}  // namespace schemagate::kube
