#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include <pqxx/pqxx>

#include "engine/migration_lock.h"
#include "engine/version_records.h"
#include "schemagate/common/backoff.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"

namespace schemagate::postgres {

using engine::MigrationLock;

struct LockOptions {
  int64_t key = 0;
  engine::VersionTables tables;
  std::string holder;  ///< who we are, for other waiters' logs
  /// Advisory waiters are woken by the holder's NOTIFY; this poll covers a
  /// holder that died. Lease waiters (transaction pooling has no LISTEN)
  /// poll only, so the cap is short.
  BackoffPolicy poll{std::chrono::milliseconds(20), std::chrono::milliseconds(500)};
  /// How often a waiter logs who holds the lock.
  std::chrono::milliseconds report_every{std::chrono::seconds(5)};
  /// Wait for the holder's NOTIFY (lock_channel); false behind a pooler,
  /// where a LISTEN lands on a server connection others share.
  bool listen = true;
  /// Lease mode: how long a lease lives without a heartbeat.
  std::chrono::milliseconds lease{std::chrono::seconds(30)};
};

/// A session-level `pg_advisory_lock` on `connection`. Any two runners
/// exclude each other whatever their lock modes: each takes its own lock,
/// then steps back if the other mode's lock is held.
std::unique_ptr<MigrationLock> make_advisory_lock(pqxx::connection& connection,
                                                  const LockOptions& options, Clock& clock);

/// The NOTIFY channel of the lock `key`: advisory waiters LISTEN on it and
/// every holder, of either mode, notifies it as it lets go, so the next
/// runner starts at once; the poll only covers a holder that died.
std::string lock_channel(int64_t key);

/// True when `connection` goes through a connection pooler (PgBouncer,
/// Odyssey, ...): the pid the server announced is not the backend's. A
/// session advisory lock is not safe there (transaction pooling moves the
/// session between backends, and leaks the lock on one of them).
bool behind_pooler(pqxx::connection& connection);

/// A lease row for PgBouncer in transaction pooling, where session locks do
/// not work. A second connection (opened with `conninfo`) renews the lease;
/// a dead holder's lease expires.
std::unique_ptr<MigrationLock> make_lease_lock(pqxx::connection& connection,
                                               const std::string& conninfo,
                                               const LockOptions& options, Clock& clock);

}  // namespace schemagate::postgres
