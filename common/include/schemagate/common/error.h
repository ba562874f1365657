#pragma once

#include <string>

namespace schemagate {

/// What went wrong, coarse enough to pick an exit code from. The numbers are
/// the documented exit codes of `schemagate` (README, "Exit codes").
enum class ErrorCode {
  kMigrationFailed = 1,  ///< a migration's SQL failed; its transaction rolled back
  kInvalid = 2,          ///< bad usage, configuration or migration scripts
  kUnreachable = 3,      ///< the database could not be reached
  kLockTimeout = 4,      ///< the migration lock was not acquired in time
  kStateRefused = 5,     ///< the database state forbids the operation
};

/// A typed error whose message already carries its context (file, line,
/// revision, field) and says what to do about it.
class Error {
 public:
  Error(ErrorCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  int exit_code() const { return static_cast<int>(code_); }

  /// A copy with `context` put in front of the message ("file.sql: ...").
  Error with_context(const std::string& context) const;

 private:
  ErrorCode code_;
  std::string message_;
};

/// Short name of an error code for logs ("invalid", "lock-timeout", ...).
const char* to_string(ErrorCode code);

}  // namespace schemagate
