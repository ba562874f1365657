#include "sql/json_value.h"

#include <cstdint>
#include <cstring>

namespace schemagate::sql {

/// Recursive descent over RFC 8259; every method returns nothing on malformed input.
class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : text_(text) {}

  std::optional<JsonValue> document() {
    std::optional<JsonValue> value = parse_value();
    skip_space();
    if (at_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  // Deep enough for any parse tree a migration produces, shallow enough that
  // a hostile document cannot exhaust the stack.
  static constexpr int kMaxDepth = 1000;

  std::optional<JsonValue> parse_value() {
    skip_space();
    if (at_ == text_.size()) return std::nullopt;
    char c = text_[at_];
    if (c == '{' || c == '[') {
      if (++depth_ > kMaxDepth) return std::nullopt;
      std::optional<JsonValue> value = c == '{' ? parse_object() : parse_array();
      --depth_;
      return value;
    }
    if (c == '"') {
      std::optional<std::string> text = parse_string();
      if (!text) return std::nullopt;
      return JsonValue(std::move(*text));
    }
    if (consume("true")) return JsonValue(true);
    if (consume("false")) return JsonValue(false);
    if (consume("null")) return JsonValue(nullptr);
    return parse_number();
  }

  std::optional<JsonValue> parse_object() {
    ++at_;  // {
    JsonValue::Object members;
    skip_space();
    if (consume("}")) return JsonValue(std::move(members));
    do {
      skip_space();
      if (at_ == text_.size() || text_[at_] != '"') return std::nullopt;
      std::optional<std::string> key = parse_string();
      skip_space();
      if (!key || !consume(":")) return std::nullopt;
      std::optional<JsonValue> value = parse_value();
      if (!value) return std::nullopt;
      members.emplace_back(std::move(*key), std::move(*value));
      skip_space();
    } while (consume(","));
    if (!consume("}")) return std::nullopt;
    return JsonValue(std::move(members));
  }

  std::optional<JsonValue> parse_array() {
    ++at_;  // [
    JsonValue::Array items;
    skip_space();
    if (consume("]")) return JsonValue(std::move(items));
    do {
      std::optional<JsonValue> item = parse_value();
      if (!item) return std::nullopt;
      items.push_back(std::move(*item));
      skip_space();
    } while (consume(","));
    if (!consume("]")) return std::nullopt;
    return JsonValue(std::move(items));
  }

  std::optional<JsonValue> parse_number() {
    size_t begin = at_;
    while (at_ < text_.size() && is_number_char(text_[at_])) ++at_;
    if (at_ == begin) return std::nullopt;
    return JsonValue(JsonValue::Number{text_.substr(begin, at_ - begin)});
  }

  std::optional<std::string> parse_string() {
    ++at_;  // "
    std::string out;
    while (at_ < text_.size()) {
      char c = text_[at_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ == text_.size()) return std::nullopt;
      char escape = text_[at_++];
      switch (escape) {
        case '"': case '\\': case '/': out += escape; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u':
          if (!parse_unicode_escape(out)) return std::nullopt;
          break;
        default: return std::nullopt;
      }
    }
    return std::nullopt;
  }

  /// After `\u`: one code unit, or a surrogate pair, appended as UTF-8.
  bool parse_unicode_escape(std::string& out) {
    std::optional<uint32_t> code = hex4();
    if (!code) return false;
    if (*code >= 0xD800 && *code < 0xDC00) {
      if (!consume("\\u")) return false;
      std::optional<uint32_t> low = hex4();
      if (!low || *low < 0xDC00 || *low >= 0xE000) return false;
      code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
    }
    append_utf8(*code, out);
    return true;
  }

  std::optional<uint32_t> hex4() {
    if (text_.size() - at_ < 4) return std::nullopt;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[at_++];
      value <<= 4;
      if (c >= '0' && c <= '9') value |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') value |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= static_cast<uint32_t>(c - 'A' + 10);
      else return std::nullopt;
    }
    return value;
  }

  static void append_utf8(uint32_t code, std::string& out) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  static bool is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r' ||
                                  text_[at_] == '\n')) {
      ++at_;
    }
  }

  bool consume(const char* literal) {
    size_t length = std::strlen(literal);
    if (text_.compare(at_, length, literal) != 0) return false;
    at_ += length;
    return true;
  }

  const std::string& text_;
  size_t at_ = 0;
  int depth_ = 0;
};

std::optional<JsonValue> JsonValue::parse(const std::string& text) {
  return JsonParser(text).document();
}

const JsonValue* JsonValue::find(const std::string& key) const {
  if (const Object* members = object()) {
    for (const auto& [name, value] : *members) {
      if (name == key) return &value;
    }
  }
  return nullptr;
}

const std::string* JsonValue::number() const {
  const Number* number = std::get_if<Number>(&value_);
  return number != nullptr ? &number->text : nullptr;
}

bool JsonValue::is_true() const {
  const bool* flag = std::get_if<bool>(&value_);
  return flag != nullptr && *flag;
}

}  // namespace schemagate::sql
