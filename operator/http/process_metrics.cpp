#include "http/process_metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace schemagate::http {
namespace {

std::optional<std::string> read_text(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

prometheus::MetricFamily family(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily result;
  result.name = name;
  result.help = help;
  result.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  result.metric.push_back(metric);
  return result;
}

}  // namespace

std::optional<ProcStat> parse_proc_stat(const std::string& text) {
  size_t name_end = text.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(name_end + 1));
  std::vector<std::string> after_name;  // from field 3 (state) on
  for (std::string field; fields >> field;) after_name.push_back(field);
  auto number = [&](size_t field) -> std::optional<uint64_t> {
    if (field < 3 || field - 3 >= after_name.size()) return std::nullopt;
    const std::string& text = after_name[field - 3];
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    try {
      return std::stoull(text);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  auto user = number(14), system = number(15), start = number(22), vsize = number(23),
       rss = number(24);
  if (!user || !system || !start || !vsize || !rss) return std::nullopt;
  return ProcStat{*user, *system, *start, *vsize, *rss};
}

std::optional<double> parse_boot_time(const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("btime ", 0) != 0) continue;
    try {
      return std::stod(line.substr(6));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<double> parse_max_open_files(const std::string& text) {
  std::istringstream lines(text);
  const std::string label = "Max open files";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(label, 0) != 0) continue;
    std::istringstream values(line.substr(label.size()));
    std::string soft;
    values >> soft;
    if (soft.empty() || soft.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;  // "unlimited"
    }
    return std::stod(soft);
  }
  return std::nullopt;
}

std::optional<ProcessStats> read_process_stats() {
  auto stat_text = read_text("/proc/self/stat");
  auto boot_text = read_text("/proc/stat");
  if (!stat_text || !boot_text) return std::nullopt;
  auto stat = parse_proc_stat(*stat_text);
  auto boot = parse_boot_time(*boot_text);
  if (!stat || !boot) return std::nullopt;
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  ProcessStats stats;
  stats.cpu_seconds = static_cast<double>(stat->user_ticks + stat->system_ticks) / ticks;
  stats.resident_bytes = static_cast<double>(stat->resident_pages) * page;
  stats.virtual_bytes = static_cast<double>(stat->virtual_bytes);
  stats.start_time_seconds = *boot + static_cast<double>(stat->start_ticks) / ticks;
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    stats.open_fds += 1;
  }
  if (auto limits = read_text("/proc/self/limits")) stats.max_fds = parse_max_open_files(*limits);
  return stats;
}

std::vector<prometheus::MetricFamily> process_families(const ProcessStats& stats) {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families = {
      family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
             MetricType::Counter, stats.cpu_seconds),
      family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge,
             stats.open_fds),
      family("process_resident_memory_bytes", "Resident memory size in bytes.",
             MetricType::Gauge, stats.resident_bytes),
      family("process_start_time_seconds",
             "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
             stats.start_time_seconds),
      family("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge,
             stats.virtual_bytes),
  };
  if (stats.max_fds) {
    families.push_back(family("process_max_fds", "Maximum number of open file descriptors.",
                              MetricType::Gauge, *stats.max_fds));
  }
  return families;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  std::optional<ProcessStats> stats = read_process_stats();
  if (!stats) return {};
  return process_families(*stats);
}

}  // namespace schemagate::http
