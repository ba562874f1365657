#include "kube/event_queue.h"

#include "kube/json_path.h"
#include "schemagate/common/logging.h"

namespace schemagate::kube {
namespace {

const ResourceRef kEvents{"", "v1", "events", true};

}  // namespace

EventQueue::EventQueue(ObjectClient& client, std::size_t capacity,
                       std::chrono::milliseconds drain_timeout)
    : client_(client), capacity_(capacity), drain_timeout_(drain_timeout),
      thread_([this] { run(); }) {}

EventQueue::~EventQueue() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // What is queued still goes out, unless the server is too slow to take it.
    changed_.wait_for(lock, drain_timeout_, [this] { return queue_.empty() && in_flight_ == 0; });
    if (!queue_.empty()) {
      log::warn("events not sent at shutdown", {{"events", static_cast<uint64_t>(queue_.size())}});
      queue_.clear();
    }
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool EventQueue::post(Json event) {
  std::string key = namespace_of(event) + "/" + name_of(event);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queued_.count(key)) return false;
    if (queue_.size() >= capacity_) {
      ++dropped_;
      log::warn("event queue full; dropping an event",
                {{"event", key}, {"reason", string_at(event, {"reason"})}});
      return false;
    }
    queued_.insert(key);
    queue_.push_back(std::move(event));
  }
  changed_.notify_all();
  return true;
}

void EventQueue::flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return queue_.empty() && in_flight_ == 0; });
}

std::size_t EventQueue::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

void EventQueue::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    Json event = std::move(queue_.front());
    queue_.pop_front();
    queued_.erase(namespace_of(event) + "/" + name_of(event));
    ++in_flight_;
    lock.unlock();
    send(event);
    lock.lock();
    --in_flight_;
    changed_.notify_all();
  }
}

void EventQueue::send(const Json& event) {
  ApiResult<Json> created = client_.create(kEvents, namespace_of(event), event);
  if (created || created.error().kind() == ErrorKind::kAlreadyExists) return;
  log::warn("event not recorded", {{"event", namespace_of(event) + "/" + name_of(event)},
                                   {"reason", string_at(event, {"reason"})},
                                   {"error", created.error().message()}});
}

}  // namespace schemagate::kube
