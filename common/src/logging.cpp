#include "schemagate/common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>

namespace schemagate::log {
namespace {

using Json = nlohmann::ordered_json;

Format g_format = Format::kText;

/// A message or value past this is cut: one runaway value (a whole migration
/// body in an error, a server message) must not make a log line megabytes
/// long, which log pipelines drop or split.
constexpr size_t kMaxLoggedBytes = 8192;

/// `text`, or its first kMaxLoggedBytes (not splitting a UTF-8 character)
/// and a note of how much was cut.
std::string cut(std::string_view text) {
  if (text.size() <= kMaxLoggedBytes) return std::string(text);
  size_t end = kMaxLoggedBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "... (" + std::to_string(text.size() - end) +
         " more bytes cut)";
}

/// Never throws: bytes that are not UTF-8 become U+FFFD.
std::string dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string number_text(double value) {
  std::ostringstream stream;
  stream << value;
  return stream.str();
}

Json json_value(const Field::Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return cut(*text);
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  if (const auto* number = std::get_if<int64_t>(&value)) return *number;
  if (const auto* number = std::get_if<uint64_t>(&value)) return *number;
  double number = std::get<double>(value);
  // JSON has no NaN or infinity: those are logged as strings.
  if (std::isfinite(number)) return number;
  return number_text(number);
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == 0x7F || c == '"' || c == '=') return true;
  }
  return false;
}

std::string text_value(const Field::Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    std::string shown = cut(*text);
    return needs_quotes(shown) ? dump(Json(shown)) : shown;
  }
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  if (const auto* number = std::get_if<int64_t>(&value)) return std::to_string(*number);
  if (const auto* number = std::get_if<uint64_t>(&value)) return std::to_string(*number);
  return number_text(std::get<double>(value));
}

void emit(spdlog::level::level_enum level, std::string_view message, const Fields& fields) {
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  if (g_format == Format::kJson) {
    auto name = spdlog::level::to_string_view(level);
    logger->log(level, "{}",
                json_line(std::string_view(name.data(), name.size()),
                          std::chrono::system_clock::now(), message, fields));
  } else {
    logger->log(level, "{}", text_payload(message, fields));
  }
}

}  // namespace

Result<Format> parse_format(const std::string& name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  return Error(ErrorCode::kInvalid,
               "--log-format: unknown format '" + name + "'; use 'text' or 'json'");
}

Status configure(Format format, const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    return Error(ErrorCode::kInvalid,
                 "--log-level: unknown level '" + level +
                     "'; use trace, debug, info, warn, error, critical or off");
  }
  g_format = format;
  spdlog::drop("schemagate");
  auto logger = spdlog::stderr_color_mt("schemagate");
  spdlog::set_default_logger(logger);
  if (format == Format::kJson) {
    // json_line writes the whole object, time and level included.
    logger->set_pattern("%v");
  } else {
    // Local time with its offset from UTC (+00:00 in a container), so a line
    // read elsewhere still says when.
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %v");
  }
  logger->set_level(parsed);
  return {};
}

std::string rfc3339_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto since_epoch = time.time_since_epoch();
  auto whole = duration_cast<seconds>(since_epoch);
  auto millis = duration_cast<milliseconds>(since_epoch - whole).count();
  if (millis < 0) {
    whole -= seconds(1);
    millis += 1000;
  }
  std::time_t seconds_since_epoch = static_cast<std::time_t>(whole.count());
  std::tm utc{};
  gmtime_r(&seconds_since_epoch, &utc);
  char buffer[40];
  size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + length, sizeof buffer - length, ".%03dZ", static_cast<int>(millis));
  return buffer;
}

std::string json_line(std::string_view level, std::chrono::system_clock::time_point time,
                      std::string_view message, const Fields& fields) {
  Json line;
  line["time"] = rfc3339_utc(time);
  line["level"] = std::string(level);
  line["msg"] = cut(message);
  for (const Field& field : fields) line[cut(field.key())] = json_value(field.value());
  return dump(line);
}

std::string text_payload(std::string_view message, const Fields& fields) {
  std::string out = cut(message);
  for (const Field& field : fields) {
    out.push_back(' ');
    out.append(cut(field.key()));
    out.push_back('=');
    out.append(text_value(field.value()));
  }
  return out;
}

void debug(std::string_view message, const Fields& fields) { emit(spdlog::level::debug, message, fields); }
void info(std::string_view message, const Fields& fields) { emit(spdlog::level::info, message, fields); }
void warn(std::string_view message, const Fields& fields) { emit(spdlog::level::warn, message, fields); }
void error(std::string_view message, const Fields& fields) { emit(spdlog::level::err, message, fields); }

}  // namespace schemagate::log
