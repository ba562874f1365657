// `schemagate.yaml` parsing on arbitrary text: yaml-cpp's exceptions must all
// become typed errors, and what is accepted must be within bounds.
#include <cmath>

#include "config/config.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace schemagate;
  Result<config::Config> config = config::parse(fuzz::text_of(data, size), "/etc/schemagate.yaml");
  if (!config) {
    fuzz::require_invalid_input(config.error());
    return 0;
  }
  for (double seconds : {config->lock_timeout_seconds, config->statement_lock_timeout_seconds,
                         config->wait_for_db_seconds}) {
    if (!std::isfinite(seconds) || seconds < 0) std::abort();
  }
  if (config->version_schema.size() > 63 || config->history_table.size() > 63 ||
      config->version_table.size() > 57 || config->lock_retries < 0) {
    std::abort();
  }
  return 0;
}
