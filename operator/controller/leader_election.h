#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "controller/lease_lock.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/stop_signal.h"

namespace schemagate::controller {

/// Hook for /metrics (client-go's leader_election_master_status).
class LeaderMetrics {
 public:
  virtual ~LeaderMetrics() = default;
  /// This process leads (true) or is a candidate (false) for lease `name`.
  virtual void on_leading(const std::string& name, bool leading) = 0;
};

/// client-go's leader election timings; shorter ones in tests.
struct LeaderElectionConfig {
  std::string identity;  ///< unique per process: hostname_pid or the pod name
  /// How long a lease stays valid without renewal; a candidate takes over a
  /// lease not renewed for this long, as measured on its own clock.
  std::chrono::nanoseconds lease_duration = std::chrono::seconds(15);
  /// The leader gives up when it could not renew for this long.
  std::chrono::nanoseconds renew_deadline = std::chrono::seconds(10);
  /// Pause between attempts to acquire or renew.
  std::chrono::nanoseconds retry_period = std::chrono::seconds(2);
  Clock* clock = &Clock::real();
  /// The lease's name as metrics label it (controller-runtime: the election id).
  std::string name;
  LeaderMetrics* metrics = nullptr;
};

/// Leader election on a Lease (client-go's leaderelection with a LeaseLock):
/// at most one candidate holds a lease that is not expired; the holder
/// renews it; the others take it over once it has not changed for
/// lease_duration. Expiry is judged by when this process last saw the lease
/// change, not by the holder's timestamps, so clock skew does not matter.
class LeaderElector {
 public:
  LeaderElector(LeaseLock& lock, LeaderElectionConfig config);

  /// One attempt to acquire or renew; true when this process holds the
  /// lease afterwards.
  bool try_acquire_or_renew();

  /// Campaigns until elected, then calls `on_started_leading` (which must
  /// return quickly; it starts the work) and renews until `stop` is requested
  /// (then releases the lease) or renewal fails for renew_deadline. Calls
  /// `on_stopped_leading` whenever leadership ends after it began. Returns
  /// true when it stopped because of `stop`, false when leadership was lost.
  bool run(StopSignal& stop, const std::function<void()>& on_started_leading,
           const std::function<void()>& on_stopped_leading);

  /// Gives the lease up (holder cleared) so a successor need not wait for
  /// it to expire. Does nothing unless this process holds it.
  void release();

  bool is_leader() const { return leader_; }
  /// The holder as last observed ("" when unknown or released).
  std::string observed_holder() const;

 private:
  LeaseRecord desired(std::chrono::system_clock::time_point now) const;
  void observe(const LeaseRecord& record);

  LeaseLock& lock_;
  LeaderElectionConfig config_;
  mutable std::mutex mutex_;
  LeaseRecord observed_;
  std::chrono::steady_clock::time_point observed_at_{};
  std::atomic<bool> leader_{false};
};

}  // namespace schemagate::controller
