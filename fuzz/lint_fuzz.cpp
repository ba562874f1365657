// The linter's rules on arbitrary SQL: whatever the parse tree holds, they
// report findings of known rules at lines of the body, never crash. The
// first byte picks the transaction mode and the runner's lock_timeout.
#include <cstdlib>

#include "fuzz_check.h"
#include "lint/linter.h"
#include "lint/rule_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace schemagate;
  if (size == 0) return 0;
  lint::LintOptions options;
  if ((data[0] & 2) != 0) options.statement_lock_timeout = std::chrono::milliseconds(0);
  std::string body = fuzz::text_of(data + 1, size - 1);
  lint::NoFacts facts;
  const int first_line = 5;
  for (const lint::Finding& finding :
       lint::lint_body({"versions/f.sql", body, first_line, (data[0] & 1) != 0}, facts, options)) {
    if (lint::find_rule(finding.rule) == nullptr || finding.line < first_line) std::abort();
  }
  return 0;
}
