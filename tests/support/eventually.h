#pragma once

#include <chrono>
#include <functional>

namespace schemagate::testing {

/// Polls `condition` every 50 ms until it holds or `timeout` passes. The
/// default is generous: tests share two slow cores with servers and builds.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Polls `condition` for `duration` and says whether it held every time:
/// for what must not happen, e.g. a second Job.
bool holds_for(const std::function<bool()>& condition, std::chrono::milliseconds duration);

}  // namespace schemagate::testing
