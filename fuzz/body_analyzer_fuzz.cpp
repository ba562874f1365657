// Body analysis (split, classify, unwrap) on arbitrary SQL; the first byte
// picks the transaction mode.
#include "fuzz_check.h"
#include "sql/body_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace schemagate;
  if (size == 0) return 0;
  bool transactional = (data[0] & 1) != 0;
  bool wrapped = transactional && (data[0] & 2) != 0;
  std::string body = fuzz::text_of(data + 1, size - 1);
  Result<sql::Analysis> analysis = sql::analyze_body("versions/f.sql", body, 3, transactional,
                                                     wrapped);
  if (!analysis) {
    fuzz::require_invalid_input(analysis.error());
    return 0;
  }
  if (analysis->runnable_sql.size() != body.size()) std::abort();
  return 0;
}
