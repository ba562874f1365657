#include "schemagate/common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <sstream>

#include "schemagate/common/json_text.h"

namespace schemagate::log {
namespace {

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

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t') return true;
  }
  return false;
}

void emit(spdlog::level::level_enum level, std::string_view message, Fields fields) {
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  logger->log(level, "{}", render(g_format, message, fields));
}

}  // namespace

Field::Field(std::string key, double value) : key_(std::move(key)), raw_(std::isfinite(value)) {
  // JSON has no NaN or infinity: those are logged as strings.
  std::ostringstream stream;
  stream << value;
  value_ = stream.str();
}

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
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(parsed);
  return {};
}

std::string render(Format format, std::string_view whole_message, Fields fields) {
  std::string message = cut(whole_message);
  std::string out;
  if (format == Format::kJson) {
    out += "\"msg\":";
    append_json_string(out, message);
    for (const Field& field : fields) {
      out.push_back(',');
      append_json_string(out, cut(field.key()));
      out.push_back(':');
      if (field.raw()) {
        out += field.value();
      } else {
        append_json_string(out, cut(field.value()));
      }
    }
    return out;
  }
  out.append(message);
  for (const Field& field : fields) {
    out.push_back(' ');
    out.append(cut(field.key()));
    out.push_back('=');
    std::string value = cut(field.value());
    if (!field.raw() && needs_quotes(value)) {
      append_json_string(out, value);
    } else {
      out.append(value);
    }
  }
  return out;
}

void debug(std::string_view message, Fields fields) { emit(spdlog::level::debug, message, fields); }
void info(std::string_view message, Fields fields) { emit(spdlog::level::info, message, fields); }
void warn(std::string_view message, Fields fields) { emit(spdlog::level::warn, message, fields); }
void error(std::string_view message, Fields fields) { emit(spdlog::level::err, message, fields); }

}  // namespace schemagate::log
