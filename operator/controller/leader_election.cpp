#include "controller/leader_election.h"

#include <random>

#include "schemagate/common/logging.h"

namespace schemagate::controller {
namespace {

int whole_seconds(std::chrono::nanoseconds duration) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  return seconds < 1 ? 1 : static_cast<int>(seconds);
}

// Up to 20% more than `period`, so candidates do not poll in lockstep.
std::chrono::nanoseconds jittered(std::chrono::nanoseconds period) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> factor(1.0, 1.2);
  return std::chrono::nanoseconds(
      static_cast<std::chrono::nanoseconds::rep>(static_cast<double>(period.count()) *
                                                 factor(random)));
}

}  // namespace

LeaderElector::LeaderElector(LeaseLock& lock, LeaderElectionConfig config)
    : lock_(lock), config_(std::move(config)) {}

LeaseRecord LeaderElector::desired(std::chrono::system_clock::time_point now) const {
  LeaseRecord record;
  record.holder_identity = config_.identity;
  record.lease_duration_seconds = whole_seconds(config_.lease_duration);
  record.acquire_time = kube::format_micro_time(now);
  record.renew_time = record.acquire_time;
  return record;
}

void LeaderElector::observe(const LeaseRecord& record) {
  std::lock_guard<std::mutex> lock(mutex_);
  observed_ = record;
  observed_at_ = config_.clock->now();
}

std::string LeaderElector::observed_holder() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return observed_.holder_identity;
}

bool LeaderElector::try_acquire_or_renew() {
  LeaseRecord record = desired(config_.clock->wall_now());
  kube::ApiResult<LeaseRecord> current = lock_.get();
  if (!current) {
    if (current.error().kind() != kube::ErrorKind::kNotFound) {
      log::warn("cannot read the leader election lease",
                {{"lease", lock_.describe()}, {"error", current.error().message()}});
      return leader_ = false;
    }
    kube::ApiStatus created = lock_.create(record);
    if (!created) {
      log::debug("lost the race to create the lease",
                 {{"lease", lock_.describe()}, {"error", created.error().message()}});
      return leader_ = false;
    }
    observe(record);
    return leader_ = true;
  }

  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!current->same_as(observed_) || observed_at_ == std::chrono::steady_clock::time_point{}) {
      observed_ = *current;
      observed_at_ = config_.clock->now();
    }
    bool held_by_us = current->holder_identity == config_.identity;
    bool expired = observed_at_ + config_.lease_duration <= config_.clock->now();
    if (!current->holder_identity.empty() && !held_by_us && !expired) return leader_ = false;
    if (held_by_us) {
      record.acquire_time = current->acquire_time;
      record.lease_transitions = current->lease_transitions;
    } else {
      record.lease_transitions = current->lease_transitions + 1;
    }
  }
  record.resource_version = current->resource_version;
  kube::ApiStatus updated = lock_.update(record);
  if (!updated) {
    log::debug("cannot update the lease", {{"lease", lock_.describe()},
                                           {"error", updated.error().message()}});
    return leader_ = false;
  }
  observe(record);
  return leader_ = true;
}

void LeaderElector::release() {
  if (!leader_) return;
  kube::ApiResult<LeaseRecord> current = lock_.get();
  if (!current || current->holder_identity != config_.identity) {
    leader_ = false;
    return;
  }
  LeaseRecord released;
  released.lease_duration_seconds = 1;
  released.acquire_time = kube::format_micro_time(config_.clock->wall_now());
  released.renew_time = released.acquire_time;
  released.lease_transitions = current->lease_transitions;
  released.resource_version = current->resource_version;
  kube::ApiStatus updated = lock_.update(released);
  if (!updated) {
    log::warn("cannot release the lease; successors wait for it to expire",
              {{"lease", lock_.describe()}, {"error", updated.error().message()}});
  } else {
    log::info("released the leader election lease", {{"lease", lock_.describe()}});
  }
  leader_ = false;
}

bool LeaderElector::run(StopSignal& stop, const std::function<void()>& on_started_leading,
                        const std::function<void()>& on_stopped_leading) {
  Clock& clock = *config_.clock;
  log::info("campaigning for leadership",
            {{"lease", lock_.describe()}, {"identity", config_.identity}});
  auto report = [this](bool leading) {
    if (config_.metrics) config_.metrics->on_leading(config_.name, leading);
  };
  report(false);
  while (!try_acquire_or_renew()) {
    if (!clock.sleep_for(jittered(config_.retry_period), stop)) return true;
  }
  log::info("became leader", {{"lease", lock_.describe()}, {"identity", config_.identity}});
  report(true);
  on_started_leading();

  auto last_renewal = clock.now();
  bool stopped = true;
  while (clock.sleep_for(config_.retry_period, stop)) {
    if (try_acquire_or_renew()) {
      last_renewal = clock.now();
      continue;
    }
    std::string holder = observed_holder();
    bool taken = !holder.empty() && holder != config_.identity;
    if (taken || clock.now() - last_renewal >= config_.renew_deadline) {
      log::error("leadership lost", {{"lease", lock_.describe()}, {"holder", holder}});
      leader_ = false;
      stopped = false;
      break;
    }
  }
  report(false);
  on_stopped_leading();
  if (stopped) release();
  return stopped;
}

}  // namespace schemagate::controller
