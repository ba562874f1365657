#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace schemagate::kube {

/// "2026-11-22T02:06:41Z": metav1.Time, whole seconds in UTC, as status
/// conditions and Events carry it.
std::string format_time(std::chrono::system_clock::time_point time);

/// The time of "2026-11-22T02:06:41Z" (a fraction of a second is ignored);
/// nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_time(const std::string& text);

/// "2026-11-22T02:06:41.123456Z": the MicroTime format of the Lease API.
std::string format_micro_time(std::chrono::system_clock::time_point time);

}  // namespace schemagate::kube
