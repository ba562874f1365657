#include <catch2/catch.hpp>

#include <prometheus/text_serializer.h>

#include "http/process_metrics.h"

using namespace schemagate::http;

TEST_CASE("/proc/PID/stat is read past a command name with spaces and parentheses",
          "[http][process]") {
  // Fields 1-24 of proc(5); utime 250, stime 50, starttime 12000, vsize, rss.
  std::string stat =
      "4242 (odd (name) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 7 0 12000 "
      "104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
  auto parsed = parse_proc_stat(stat);
  REQUIRE(parsed);
  CHECK(parsed->user_ticks == 250);
  CHECK(parsed->system_ticks == 50);
  CHECK(parsed->start_ticks == 12000);
  CHECK(parsed->virtual_bytes == 104857600);
  CHECK(parsed->resident_pages == 2560);
  CHECK_FALSE(parse_proc_stat(""));
  CHECK_FALSE(parse_proc_stat("4242 (short) S 1 2 3"));
  CHECK_FALSE(parse_proc_stat("4242 no parenthesis"));
  CHECK_FALSE(parse_proc_stat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 -5 50 0 0 20 0 7 0 1 2 3"));
}

TEST_CASE("boot time and the open files limit", "[http][process]") {
  CHECK(parse_boot_time("cpu  1 2 3\nbtime 1790000000\nprocesses 9\n") == 1790000000.0);
  CHECK_FALSE(parse_boot_time("cpu 1 2 3\n"));
  std::string limits =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max open files            1048576              1048576              files     \n";
  CHECK(parse_max_open_files(limits) == 1048576.0);
  CHECK_FALSE(parse_max_open_files(
      "Max open files            unlimited            unlimited            files\n"));
}

TEST_CASE("this process's figures come out as client_golang's process metrics",
          "[http][process]") {
  auto stats = read_process_stats();
  REQUIRE(stats);
  CHECK(stats->resident_bytes > 0);
  CHECK(stats->virtual_bytes >= stats->resident_bytes);
  CHECK(stats->open_fds >= 3);
  REQUIRE(stats->max_fds);
  CHECK(*stats->max_fds >= stats->open_fds);
  auto now = std::chrono::duration<double>(
                 std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(stats->start_time_seconds <= now + 1);
  CHECK(stats->start_time_seconds > now - 24 * 3600);  // started by this test run

  std::string text = prometheus::TextSerializer().Serialize(ProcessCollector().Collect());
  for (const char* line : {"# TYPE process_cpu_seconds_total counter",
                           "# TYPE process_resident_memory_bytes gauge",
                           "# TYPE process_virtual_memory_bytes gauge",
                           "# TYPE process_open_fds gauge", "# TYPE process_max_fds gauge",
                           "# TYPE process_start_time_seconds gauge"}) {
    CHECK_THAT(text, Catch::Contains(line));
  }
}
