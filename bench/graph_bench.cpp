// Loading, validating and planning `upgrade heads` from base on generated
// histories of growing size. Prints each size's median wall and CPU time, the
// CPU time of 10,000 revisions against its 100 ms aim (issue 22 part 6), and
// the ratio of the largest size's time to the smallest's, against the ratio
// of their sizes: the cost should grow about linearly.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <time.h>
#include <unistd.h>

#include "script/planner.h"
#include "script/script_directory.h"

namespace fs = std::filesystem;
using namespace schemagate;

namespace {

std::string id_for(uint64_t n) {
  // An odd multiplier is a bijection modulo 2^48: unique, random-looking ids.
  uint64_t value = (n * 0x9E3779B97F4Bull + 0x1234567ull) & 0xFFFFFFFFFFFFull;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%012llx", static_cast<unsigned long long>(value));
  return buffer;
}

/// A history of `count` revisions: a main line that every 10 revisions forks
/// into two branches of 4 and merges them again.
void generate(const fs::path& root, int count) {
  fs::create_directories(root / "versions");
  int made = 0;
  std::vector<std::string> tip;
  auto write = [&](const std::vector<std::string>& parents) {
    std::string id = id_for(made);
    std::string text = "-- schemagate:revision " + id + "\n";
    if (!parents.empty()) {
      text += "-- schemagate:parents ";
      for (size_t i = 0; i < parents.size(); ++i) text += (i ? ", " : "") + parents[i];
      text += "\n";
    }
    text += "-- schemagate:message step " + std::to_string(made) + "\n\n-- schemagate:up\n"
            "CREATE TABLE t_" + id + " (id bigint PRIMARY KEY, name text);\n\n"
            "-- schemagate:down\nDROP TABLE t_" + id + ";\n";
    std::ofstream(root / "versions" / (id + "_step.sql")) << text;
    ++made;
    return id;
  };
  while (made < count) {
    if (made % 10 == 0 && !tip.empty() && count - made >= 9) {
      std::string fork = tip.front();
      std::string left = fork, right = fork;
      for (int i = 0; i < 4; ++i) left = write({left});
      for (int i = 0; i < 4; ++i) right = write({right});
      tip = {write({left, right})};
    } else {
      tip = {write(tip)};
    }
  }
}

/// Wall and CPU time of one run, in milliseconds. The CPU time of the
/// process is what the run costs on a machine shared with other work.
struct Timing {
  double wall_ms = 0;
  double cpu_ms = 0;
};

double cpu_now_ms() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

Timing run_once(const fs::path& root, unsigned threads, size_t& steps) {
  auto start = std::chrono::steady_clock::now();
  double cpu_start = cpu_now_ms();
  auto scripts = script::ScriptDirectory::load(root, threads);
  if (!scripts) {
    std::fprintf(stderr, "%s\n", scripts.error().message().c_str());
    std::exit(1);
  }
  auto target = script::resolve_target(scripts->map(), "heads");
  script::Plan plan = script::plan_upgrade(scripts->map(), {}, *target);
  steps = plan.steps.size();
  return {std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count(),
          cpu_now_ms() - cpu_start};
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> sizes;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    sizes.push_back(std::stoi(text.substr(start, comma - start)));
    start = comma + 1;
  }
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {1000, 10000};
  int repeats = 5;
  unsigned threads = script::ScriptDirectory::kAnyThreads;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--sizes") sizes = parse_sizes(argv[i + 1]);
    if (flag == "--repeats") repeats = std::stoi(argv[i + 1]);
    if (flag == "--threads") threads = static_cast<unsigned>(std::stoi(argv[i + 1]));
  }
  fs::path base = fs::temp_directory_path() / ("schemagate-graph-bench-" + std::to_string(::getpid()));
  std::vector<double> medians;
  std::printf("%-10s %-8s %-10s %-10s %s\n", "revisions", "steps", "wall_ms", "cpu_ms",
              "cpu_per_revision_us");
  for (int size : sizes) {
    fs::path root = base / std::to_string(size);
    generate(root, size);
    std::vector<double> wall;
    std::vector<double> cpu;
    size_t steps = 0;
    for (int r = 0; r < repeats; ++r) {
      Timing timing = run_once(root, threads, steps);
      wall.push_back(timing.wall_ms);
      cpu.push_back(timing.cpu_ms);
    }
    medians.push_back(median(cpu));
    std::printf("%-10d %-8zu %-10.2f %-10.2f %.2f\n", size, steps, median(wall), median(cpu),
                median(cpu) * 1000.0 / size);
    if (static_cast<int>(steps) != size) {
      std::fprintf(stderr, "plan has %zu steps for %d revisions\n", steps, size);
      return 1;
    }
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 10000) {
      std::printf("10,000 revisions: %.2f ms of CPU against the 100 ms aim: ratio %.2f\n",
                  medians[i], medians[i] / 100.0);
    }
  }
  fs::remove_all(base);
  if (sizes.size() >= 2) {
    std::printf("cpu time ratio %d/%d: %.2f (size ratio %.2f; linear growth means about equal)\n",
                sizes.back(), sizes.front(), medians.back() / medians.front(),
                static_cast<double>(sizes.back()) / sizes.front());
  }
  return 0;
}
