#include "static/scan_result_encoding.h"

namespace schemagate::static_link {
namespace {

constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

// Field numbers of pg_query.proto.
constexpr uint32_t kVersionField = 1;
constexpr uint32_t kTokensField = 2;
constexpr uint32_t kStartField = 1;
constexpr uint32_t kEndField = 2;
constexpr uint32_t kTokenField = 4;
constexpr uint32_t kKeywordKindField = 5;

size_t varint_size(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// protobuf encodes a negative int32 as its 64-bit two's complement.
uint64_t int32_bits(int32_t value) { return static_cast<uint64_t>(static_cast<int64_t>(value)); }

/// Appends to a buffer sized beforehand by packed_size.
class Writer {
 public:
  explicit Writer(uint8_t* out) : out_(out), start_(out) {}

  void varint(uint64_t value) {
    while (value >= 0x80) {
      *out_++ = static_cast<uint8_t>(value | 0x80);
      value >>= 7;
    }
    *out_++ = static_cast<uint8_t>(value);
  }

  void key(uint32_t field, uint32_t wire_type) { varint(field << 3 | wire_type); }

  void int32_field(uint32_t field, int32_t value) {
    if (value == 0) return;
    key(field, kVarint);
    varint(int32_bits(value));
  }

  size_t written() const { return static_cast<size_t>(out_ - start_); }

 private:
  uint8_t* out_;
  uint8_t* start_;
};

size_t int32_field_size(int32_t value) {
  return value == 0 ? 0 : 1 + varint_size(int32_bits(value));  // all keys here are one byte
}

size_t token_size(const ScanToken& token) {
  return int32_field_size(token.start) + int32_field_size(token.end) +
         int32_field_size(token.token) + int32_field_size(token.keyword_kind);
}

}  // namespace

size_t packed_size(const ScanResult& result) {
  size_t size = int32_field_size(result.version);
  for (size_t i = 0; i < result.n_tokens; ++i) {
    size_t body = token_size(*result.tokens[i]);
    size += 1 + varint_size(body) + body;
  }
  return size;
}

size_t pack(const ScanResult& result, uint8_t* out) {
  Writer writer(out);
  writer.int32_field(kVersionField, result.version);
  for (size_t i = 0; i < result.n_tokens; ++i) {
    const ScanToken& token = *result.tokens[i];
    writer.key(kTokensField, kLengthDelimited);
    writer.varint(token_size(token));
    writer.int32_field(kStartField, token.start);
    writer.int32_field(kEndField, token.end);
    writer.int32_field(kTokenField, token.token);
    writer.int32_field(kKeywordKindField, token.keyword_kind);
  }
  return writer.written();
}

}  // namespace schemagate::static_link
