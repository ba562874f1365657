#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "engine/migration_lock.h"
#include "engine/version_records.h"
#include "schemagate/common/backoff.h"
#include "schemagate/common/clock.h"
#include "sqlite/connection.h"
#include "sqlite/process_identity.h"

namespace schemagate::sqlite {

struct LeaseOptions {
  engine::VersionTables tables;
  std::string holder;  ///< who we are, for other waiters' logs ("host/pid")
  /// How long a lease lives without a heartbeat, for a holder whose death
  /// cannot be seen (another machine sharing the file).
  std::chrono::milliseconds lease{std::chrono::seconds(30)};
  BackoffPolicy poll{std::chrono::milliseconds(20), std::chrono::milliseconds(500)};
  std::chrono::milliseconds report_every{std::chrono::seconds(5)};
};

/// SQLite has no advisory locks, and its own write lock lasts one
/// transaction: the migration lock is a lease row, taken in a
/// `BEGIN IMMEDIATE` transaction (so two takers are serialized by SQLite
/// itself). A lease is free when it is missing, expired, or its holder is a
/// process of this machine that no longer runs (kill -9): that one is taken
/// over at once. A heartbeat on a second connection renews it; every step's
/// own transaction checks it too (still_held_in), so a step never commits
/// under a lease another runner took.
class LeaseLock : public engine::MigrationLock {
 public:
  /// The heartbeat opens its own connection to `connection`'s database.
  LeaseLock(Connection& connection, LeaseOptions options, Clock& clock);
  ~LeaseLock() override;

  Status acquire(std::chrono::milliseconds timeout) override;
  bool still_held() const override;
  void release() override;

  /// In the caller's open transaction: renews the lease and says whether it
  /// is still ours.
  bool renew_in(Connection& connection) const;

 private:
  /// One try inside BEGIN IMMEDIATE: true when the lease is ours now.
  bool try_take(std::string& holder);
  std::string describe_holder();
  void start_heartbeat();
  void stop_heartbeat();
  std::string renew_sql() const;

  struct Heartbeat;
  Connection& connection_;
  LeaseOptions options_;
  Clock& clock_;
  ProcessIdentity self_;
  bool held_ = false;
  std::unique_ptr<Heartbeat> heartbeat_;
};

}  // namespace schemagate::sqlite
