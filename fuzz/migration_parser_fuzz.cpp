// The migration file parser on arbitrary file text.
#include "fuzz_check.h"
#include "script/migration_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace schemagate;
  Result<script::Migration> migration =
      script::parse_migration("versions/f.sql", fuzz::text_of(data, size));
  if (!migration) {
    fuzz::require_invalid_input(migration.error());
    return 0;
  }
  (void)migration->checksum();
  return 0;
}
