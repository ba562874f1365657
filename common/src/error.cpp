#include "schemagate/common/error.h"

namespace schemagate {

Error Error::with_context(const std::string& context) const {
  return Error(code_, context + ": " + message_);
}

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMigrationFailed: return "migration-failed";
    case ErrorCode::kInvalid: return "invalid";
    case ErrorCode::kUnreachable: return "unreachable";
    case ErrorCode::kLockTimeout: return "lock-timeout";
    case ErrorCode::kStateRefused: return "state-refused";
  }
  return "unknown";
}

}  // namespace schemagate
