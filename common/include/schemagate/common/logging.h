#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "schemagate/common/result.h"

/// Structured logging on stderr through spdlog: `msg key=value ...` for
/// people, one JSON object per line for Kubernetes log pipelines.
namespace schemagate::log {

enum class Format { kText, kJson };

/// One key/value pair of a log line. Numbers and booleans stay unquoted in JSON.
class Field {
 public:
  Field(std::string key, std::string value) : key_(std::move(key)), value_(std::move(value)) {}
  Field(std::string key, const char* value) : key_(std::move(key)), value_(value) {}
  Field(std::string key, std::string_view value) : key_(std::move(key)), value_(value) {}
  Field(std::string key, bool value)
      : key_(std::move(key)), value_(value ? "true" : "false"), raw_(true) {}
  Field(std::string key, int value) : Field(std::move(key), static_cast<int64_t>(value)) {}
  Field(std::string key, int64_t value)
      : key_(std::move(key)), value_(std::to_string(value)), raw_(true) {}
  Field(std::string key, uint64_t value)
      : key_(std::move(key)), value_(std::to_string(value)), raw_(true) {}
  Field(std::string key, double value);

  const std::string& key() const { return key_; }
  const std::string& value() const { return value_; }
  /// True when the value is a JSON number or boolean literal.
  bool raw() const { return raw_; }

 private:
  std::string key_;
  std::string value_;
  bool raw_ = false;
};

using Fields = std::initializer_list<Field>;

/// Parses "text" or "json".
Result<Format> parse_format(const std::string& name);

/// Installs the stderr logger. `level` is an spdlog level name (trace, debug,
/// info, warn, error, critical, off).
Status configure(Format format, const std::string& level);

/// Renders the payload of one line (message and fields) in `format`. Exposed
/// so the escaping rules are unit tested. Messages and values longer than
/// 8 KiB are cut, with a note of how much.
std::string render(Format format, std::string_view message, Fields fields);

void debug(std::string_view message, Fields fields = {});
void info(std::string_view message, Fields fields = {});
void warn(std::string_view message, Fields fields = {});
void error(std::string_view message, Fields fields = {});

}  // namespace schemagate::log
