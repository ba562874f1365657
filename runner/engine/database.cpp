#include "engine/database.h"

namespace schemagate::engine {

Error version_rows_moved(const std::string& expected, const std::string& found) {
  // The words PostgresDatabase::guard gives the server's own rollback of the
  // same write, so every engine reports it alike.
  return Error(ErrorCode::kMigrationFailed,
               "schemagate's own query was rolled back (SQLSTATE 40001): version rows changed "
               "concurrently: expected to move " + expected + ", found " + found +
                   "; another session held locks it needed. Nothing was committed by it: run "
                   "again");
}

}  // namespace schemagate::engine
