#include "schemagate/common/backoff.h"

#include <algorithm>
#include <cmath>

namespace schemagate {

std::chrono::milliseconds BackoffPolicy::delay(int attempt, std::mt19937_64& random) const {
  double base = static_cast<double>(initial.count()) * std::pow(multiplier, std::max(attempt, 0));
  base = std::min(base, static_cast<double>(max.count()));
  std::uniform_real_distribution<double> spread(1.0 - jitter, 1.0 + jitter);
  double jittered = std::min(base * spread(random), static_cast<double>(max.count()));
  return std::chrono::milliseconds(static_cast<long long>(std::max(jittered, 0.0)));
}

}  // namespace schemagate
