#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "schemagate/common/result.h"

/// Structured logging on stderr through spdlog: `time level msg key=value ...`
/// for people, one JSON object per line (written by a JSON library, so valid
/// whatever the bytes) for Kubernetes log pipelines.
namespace schemagate::log {

enum class Format { kText, kJson };

/// One key/value pair of a log line. Numbers and booleans stay unquoted in JSON.
class Field {
 public:
  using Value = std::variant<std::string, bool, int64_t, uint64_t, double>;

  Field(std::string key, std::string value) : key_(std::move(key)), value_(std::move(value)) {}
  Field(std::string key, const char* value) : key_(std::move(key)), value_(std::string(value)) {}
  Field(std::string key, std::string_view value)
      : key_(std::move(key)), value_(std::string(value)) {}
  Field(std::string key, bool value) : key_(std::move(key)), value_(value) {}
  Field(std::string key, int value) : key_(std::move(key)), value_(int64_t{value}) {}
  Field(std::string key, int64_t value) : key_(std::move(key)), value_(value) {}
  Field(std::string key, uint64_t value) : key_(std::move(key)), value_(value) {}
  Field(std::string key, double value) : key_(std::move(key)), value_(value) {}

  const std::string& key() const { return key_; }
  const Value& value() const { return value_; }

 private:
  std::string key_;
  Value value_;
};

/// Built in place (`{{"revision", id}, {"line", 3}}`) or step by step.
using Fields = std::vector<Field>;

/// Parses "text" or "json".
Result<Format> parse_format(const std::string& name);

/// Installs the stderr logger. `level` is an spdlog level name (trace, debug,
/// info, warn, error, critical, off).
Status configure(Format format, const std::string& level);

/// One JSON log line (no newline): {"time":RFC 3339 UTC,"level":...,"msg":...,
/// fields...}. Valid JSON whatever `message` and the fields hold: invalid
/// UTF-8 becomes U+FFFD, control characters are escaped; a non-finite number
/// is a string. Messages and values longer than 8 KiB are cut, with a note
/// of how much. Exposed so that the guarantee is unit tested.
std::string json_line(std::string_view level, std::chrono::system_clock::time_point time,
                      std::string_view message, const Fields& fields);

/// What a text line holds after its time and level: `msg key=value ...`, a
/// value quoted (as a JSON string) when it has spaces, quotes, `=` or control
/// characters. Cut as json_line cuts.
std::string text_payload(std::string_view message, const Fields& fields);

/// `time` as RFC 3339 in UTC with milliseconds: 2026-12-07T16:31:02.123Z.
std::string rfc3339_utc(std::chrono::system_clock::time_point time);

void debug(std::string_view message, const Fields& fields = {});
void info(std::string_view message, const Fields& fields = {});
void warn(std::string_view message, const Fields& fields = {});
void error(std::string_view message, const Fields& fields = {});

}  // namespace schemagate::log
