// libpg_query's protobuf output, cut down to what the runner calls. The static
// runner links these definitions before libpg_query.a (the link allows
// multiple definitions and keeps the first), so the archive's generated
// protobuf code and its parse-tree-to-protobuf printer are never pulled in:
// about 560 KiB of descriptors and code for functions we do not call
// (bench/runner_size_bench.sh). pg_query_scan, which we call, gets the same
// bytes from scan_result_encoding.cpp (tests/runner/sql/scan_encoding_test.cpp
// compares them with libpg_query's own).
#include <pg_query.h>

#include <cstdio>
#include <cstdlib>

#include "static/scan_result_encoding.h"

using schemagate::static_link::ScanResult;
using schemagate::static_link::ScanToken;

extern "C" {

// pg_query_scan only takes this one's address, for the message header that
// protobuf-c's own packer would read and ours does not.
extern const unsigned char pg_query__scan_result__descriptor[];
const unsigned char pg_query__scan_result__descriptor[sizeof(void*)] = {};

void pg_query__scan_token__init(ScanToken* token) { *token = ScanToken{}; }

size_t pg_query__scan_result__get_packed_size(const ScanResult* result) {
  return schemagate::static_link::packed_size(*result);
}

size_t pg_query__scan_result__pack(const ScanResult* result, uint8_t* out) {
  return schemagate::static_link::pack(*result, out);
}

// Reached only through pg_query_parse_protobuf, which the runner never calls
// (it reads pg_query_parse's JSON); it shares an object file with pg_query_parse.
PgQueryProtobuf pg_query_nodes_to_protobuf(const void*) {
  std::fputs("schemagate: pg_query_parse_protobuf is not linked into the static runner\n", stderr);
  std::abort();
}

}  // extern "C"
