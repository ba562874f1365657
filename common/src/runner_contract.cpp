#include "schemagate/common/runner_contract.h"

namespace schemagate::runner_contract {
namespace {

constexpr ErrorCode kCodes[] = {ErrorCode::kMigrationFailed, ErrorCode::kInvalid,
                                ErrorCode::kUnreachable, ErrorCode::kLockTimeout,
                                ErrorCode::kStateRefused};

}  // namespace

std::optional<ErrorCode> error_code_of_kind(const std::string& kind) {
  for (ErrorCode code : kCodes) {
    if (kind == to_string(code)) return code;
  }
  return std::nullopt;
}

std::optional<ErrorCode> error_code_of_exit(int exit_code) {
  for (ErrorCode code : kCodes) {
    if (exit_code == static_cast<int>(code)) return code;
  }
  return std::nullopt;
}

}  // namespace schemagate::runner_contract
