#pragma once

#include <chrono>

#include "schemagate/common/result.h"

namespace schemagate::engine {

/// The lock that makes exactly one runner apply migrations. Held from before
/// the state is read until the work is done; released on every path
/// (destructor), and by the server when the holder dies.
class MigrationLock {
 public:
  virtual ~MigrationLock() = default;
  /// Blocks until the lock is held, or fails with exit 4 after `timeout`.
  /// Waiting happens outside any transaction: a waiter blocked inside one
  /// would deadlock the holder's CREATE INDEX CONCURRENTLY.
  virtual Status acquire(std::chrono::milliseconds timeout) = 0;
  /// False when a lease was lost while held (the holder must stop).
  virtual bool still_held() const = 0;
  virtual void release() = 0;
};

}  // namespace schemagate::engine
