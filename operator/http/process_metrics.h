#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace schemagate::http {

/// The fields of /proc/self/stat that the process_* metrics need.
struct ProcStat {
  uint64_t user_ticks = 0;    ///< utime
  uint64_t system_ticks = 0;  ///< stime
  uint64_t start_ticks = 0;   ///< starttime, after boot
  uint64_t virtual_bytes = 0; ///< vsize
  uint64_t resident_pages = 0;///< rss
};

/// Parses the text of /proc/PID/stat (the command name may hold spaces and
/// parentheses); nullopt when it is not one.
std::optional<ProcStat> parse_proc_stat(const std::string& text);
/// The `btime` line of /proc/stat: boot time, seconds since the epoch.
std::optional<double> parse_boot_time(const std::string& text);
/// The soft limit of "Max open files" in /proc/PID/limits; nullopt when
/// absent or unlimited.
std::optional<double> parse_max_open_files(const std::string& text);

/// What the Prometheus client libraries report for a process, as numbers.
struct ProcessStats {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  std::optional<double> max_fds;
  double start_time_seconds = 0;
};

/// This process's figures, from /proc; nullopt where /proc cannot be read.
std::optional<ProcessStats> read_process_stats();

/// process_cpu_seconds_total, process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_open_fds, process_max_fds and
/// process_start_time_seconds, named and typed as client_golang's process
/// collector has them.
std::vector<prometheus::MetricFamily> process_families(const ProcessStats& stats);

/// Reads /proc at every scrape.
class ProcessCollector final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace schemagate::http
