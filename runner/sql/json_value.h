#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace schemagate::sql {

/// A parsed JSON document, just enough to read the parse trees libpg_query
/// prints (pg_query_parse). Numbers are kept as their text: nothing here does
/// arithmetic with them.
class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::vector<std::pair<std::string, JsonValue>>;

  /// Parses a complete document; nothing when it is not valid JSON.
  static std::optional<JsonValue> parse(const std::string& text);

  /// The member `key` of an object; nullptr when this is not an object or
  /// has no such member.
  const JsonValue* find(const std::string& key) const;

  const std::string* string() const { return std::get_if<std::string>(&value_); }
  const Array* array() const { return std::get_if<Array>(&value_); }
  const Object* object() const { return std::get_if<Object>(&value_); }
  /// A number's text as written; nullptr when this is not a number.
  const std::string* number() const;
  /// True only for the literal `true`.
  bool is_true() const;

 private:
  struct Number {
    std::string text;
  };
  using Value = std::variant<std::nullptr_t, bool, Number, std::string, Array, Object>;

  explicit JsonValue(Value value) : value_(std::move(value)) {}
  friend class JsonParser;

  Value value_;
};

}  // namespace schemagate::sql
