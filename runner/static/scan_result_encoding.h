#pragma once
// The protobuf encoding of libpg_query's ScanResult message, written here so
// the static runner links it instead of libpg_query's generated protobuf code:
// that object file holds the descriptors of every parse-node message (450 KiB)
// and pg_query_scan is the only function we call that needs any of it
// (pg_query_protobuf_trim.cpp). The structs mirror the protobuf-c ones of
// pg_query.pb-c.h (libpg_query 15-4.0), whose header needs protobuf-c's,
// which Debian does not ship.
#include <cstddef>
#include <cstdint>

namespace schemagate::static_link {

/// protobuf-c's ProtobufCMessage: the header of every generated message.
struct ProtobufMessageHeader {
  const void* descriptor;
  unsigned n_unknown_fields;
  void* unknown_fields;
};

/// PgQuery__ScanToken: one token's byte range and kind (pg_query.proto).
struct ScanToken {
  ProtobufMessageHeader base;
  int32_t start;
  int32_t end;
  int token;         // PgQuery__Token, an int-sized C enum
  int keyword_kind;  // PgQuery__KeywordKind
};

/// PgQuery__ScanResult: the server version and the tokens in order.
struct ScanResult {
  ProtobufMessageHeader base;
  int32_t version;
  size_t n_tokens;
  ScanToken** tokens;
};

/// The bytes pack() writes for `result`.
size_t packed_size(const ScanResult& result);

/// Writes `result` in protobuf wire format to `out` (packed_size bytes), byte
/// for byte what protobuf-c writes: fields in number order, zero scalars left
/// out (proto3), int32 and enums as varints, negative ones sign-extended to 64
/// bits. Returns the bytes written.
size_t pack(const ScanResult& result, uint8_t* out);

}  // namespace schemagate::static_link
