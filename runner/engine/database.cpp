#include "engine/database.h"

namespace schemagate::engine {

Error version_rows_moved(const std::string& expected, const std::string& found) {
  return Error(ErrorCode::kMigrationFailed,
               "version rows changed concurrently: expected to move " + expected + ", found " +
                   found +
                   " row(s); another writer moved them. Nothing of this step was committed: "
                   "run again");
}

}  // namespace schemagate::engine
