#include "sql/scanner.h"

#include <pg_query.h>

#include <cstdint>

namespace schemagate::sql {
namespace {

// libpg_query returns its tokens as a protobuf ScanResult (pg_query.proto).
// Debian ships no protobuf-c headers, and the message is two levels of
// varints, so it is read here by hand:
//   ScanResult { int32 version = 1; repeated ScanToken tokens = 2; }
//   ScanToken  { int32 start = 1; int32 end = 2; Token token = 4; KeywordKind keyword_kind = 5; }
constexpr uint32_t kTokensField = 2;
constexpr uint32_t kStartField = 1;
constexpr uint32_t kEndField = 2;
constexpr uint32_t kTokenField = 4;

constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

/// Reads protobuf wire format; any malformed input makes `ok()` false.
class WireReader {
 public:
  WireReader(const uint8_t* data, size_t size) : data_(data), end_(data + size) {}

  bool ok() const { return ok_; }
  bool at_end() const { return data_ == end_; }

  uint64_t varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (data_ == end_) break;
      uint8_t byte = *data_++;
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok_ = false;
    return 0;
  }

  /// The next length-delimited field's bytes, as a reader of their own.
  WireReader message() {
    uint64_t size = varint();
    if (!ok_ || size > static_cast<uint64_t>(end_ - data_)) {
      ok_ = false;
      return WireReader(end_, 0);
    }
    WireReader inner(data_, size);
    data_ += size;
    return inner;
  }

  /// Skips a field this code does not read (fixed-size fields never occur here).
  void skip(uint32_t wire_type) {
    if (wire_type == kVarint) {
      varint();
    } else if (wire_type == kLengthDelimited) {
      message();
    } else {
      ok_ = false;
    }
  }

 private:
  const uint8_t* data_;
  const uint8_t* end_;
  bool ok_ = true;
};

bool read_token(WireReader reader, Token& token) {
  while (reader.ok() && !reader.at_end()) {
    uint64_t key = reader.varint();
    auto field = static_cast<uint32_t>(key >> 3);
    auto wire_type = static_cast<uint32_t>(key & 7);
    if (wire_type != kVarint) {
      reader.skip(wire_type);
    } else if (field == kStartField) {
      token.start = static_cast<int>(reader.varint());
    } else if (field == kEndField) {
      token.end = static_cast<int>(reader.varint());
    } else if (field == kTokenField) {
      token.kind = static_cast<int>(reader.varint());
    } else {
      reader.skip(wire_type);
    }
  }
  return reader.ok();
}

std::optional<std::vector<Token>> read_scan_result(WireReader reader) {
  std::vector<Token> tokens;
  while (reader.ok() && !reader.at_end()) {
    uint64_t key = reader.varint();
    auto field = static_cast<uint32_t>(key >> 3);
    auto wire_type = static_cast<uint32_t>(key & 7);
    if (field == kTokensField && wire_type == kLengthDelimited) {
      Token token;
      if (!read_token(reader.message(), token)) return std::nullopt;
      tokens.push_back(token);
    } else {
      reader.skip(wire_type);
    }
  }
  if (!reader.ok()) return std::nullopt;
  return tokens;
}

}  // namespace

std::optional<std::vector<Token>> scan(const std::string& sql) {
  PgQueryScanResult result = pg_query_scan(sql.c_str());
  std::optional<std::vector<Token>> tokens;
  if (result.error == nullptr) {
    tokens = read_scan_result(
        WireReader(reinterpret_cast<const uint8_t*>(result.pbuf.data), result.pbuf.len));
  }
  pg_query_free_scan_result(result);
  return tokens;
}

}  // namespace schemagate::sql
