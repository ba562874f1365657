#include "kube/time_format.h"

#include <ctime>
#include <iomanip>
#include <sstream>

namespace schemagate::kube {
namespace {

// Whole seconds and the microseconds beyond them, rounded towards the past
// also before 1970.
std::pair<std::time_t, long> split(std::chrono::system_clock::time_point time) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch());
  std::time_t seconds = static_cast<std::time_t>(micros.count() / 1000000);
  long fraction = static_cast<long>(micros.count() % 1000000);
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  return {seconds, fraction};
}

void put_seconds(std::ostream& out, std::time_t seconds) {
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%S");
}

}  // namespace

std::string format_time(std::chrono::system_clock::time_point time) {
  std::ostringstream out;
  put_seconds(out, split(time).first);
  out << 'Z';
  return out.str();
}

std::optional<std::chrono::system_clock::time_point> parse_time(const std::string& text) {
  std::tm utc{};
  std::istringstream in(text);
  in >> std::get_time(&utc, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return std::nullopt;
  std::string rest;
  in >> rest;
  bool fraction_then_z = rest.size() >= 2 && rest.front() == '.' && rest.back() == 'Z' &&
                         rest.find_first_not_of("0123456789", 1) == rest.size() - 1;
  if (rest != "Z" && !fraction_then_z) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

std::string format_micro_time(std::chrono::system_clock::time_point time) {
  auto [seconds, fraction] = split(time);
  std::ostringstream out;
  put_seconds(out, seconds);
  out << '.' << std::setw(6) << std::setfill('0') << fraction << 'Z';
  return out.str();
}

}  // namespace schemagate::kube
