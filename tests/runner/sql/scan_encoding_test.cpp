#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "static/scan_result_encoding.h"

using schemagate::static_link::ScanResult;
using schemagate::static_link::ScanToken;

// libpg_query's own protobuf-c code for the same message, from libpg_query.a,
// which this test binary links in full (the static runner links ours instead).
extern "C" {
extern const unsigned char pg_query__scan_result__descriptor[];
void pg_query__scan_token__init(ScanToken* token);
size_t pg_query__scan_result__get_packed_size(const ScanResult* result);
size_t pg_query__scan_result__pack(const ScanResult* result, uint8_t* out);
}

namespace {

struct Encodings {
  std::vector<uint8_t> ours;
  std::vector<uint8_t> libpg_query;
};

Encodings encode(int32_t version, const std::vector<ScanToken>& values) {
  std::vector<ScanToken> tokens(values.size());
  std::vector<ScanToken*> pointers;
  for (size_t i = 0; i < values.size(); ++i) {
    pg_query__scan_token__init(&tokens[i]);
    tokens[i].start = values[i].start;
    tokens[i].end = values[i].end;
    tokens[i].token = values[i].token;
    tokens[i].keyword_kind = values[i].keyword_kind;
    pointers.push_back(&tokens[i]);
  }
  ScanResult result{{pg_query__scan_result__descriptor, 0, nullptr}, version, pointers.size(),
                    pointers.data()};

  Encodings encodings;
  encodings.ours.resize(schemagate::static_link::packed_size(result));
  encodings.ours.resize(schemagate::static_link::pack(result, encodings.ours.data()));
  encodings.libpg_query.resize(pg_query__scan_result__get_packed_size(&result));
  encodings.libpg_query.resize(pg_query__scan_result__pack(&result, encodings.libpg_query.data()));
  return encodings;
}

ScanToken token(int32_t start, int32_t end, int kind, int keyword_kind) {
  return ScanToken{{nullptr, 0, nullptr}, start, end, kind, keyword_kind};
}

}  // namespace

TEST_CASE("the static runner's ScanResult encoding is libpg_query's, byte for byte",
          "[sql][scanner]") {
  SECTION("no tokens, with and without a version") {
    for (int32_t version : {0, 150001}) {
      Encodings encodings = encode(version, {});
      CHECK(encodings.ours == encodings.libpg_query);
    }
  }
  SECTION("zero fields left out, small and multi-byte varints") {
    Encodings encodings = encode(150001, {token(0, 6, 613, 3), token(7, 8, 266, 0),
                                          token(0, 0, 0, 0), token(130, 16500, 258, 1)});
    CHECK_FALSE(encodings.ours.empty());
    CHECK(encodings.ours == encodings.libpg_query);
  }
  SECTION("negative and extreme int32 values take ten bytes") {
    Encodings encodings =
        encode(-1, {token(-1, INT32_MIN, INT32_MAX, -7), token(1 << 28, 1 << 21, 1 << 14, 2)});
    CHECK(encodings.ours == encodings.libpg_query);
  }
  SECTION("a long token list") {
    std::vector<ScanToken> tokens;
    for (int32_t i = 0; i < 5000; ++i) tokens.push_back(token(i * 7, i * 7 + 5, 258 + i % 500, i % 4));
    Encodings encodings = encode(150001, tokens);
    CHECK(encodings.ours.size() > 50000);
    CHECK(encodings.ours == encodings.libpg_query);
  }
}
