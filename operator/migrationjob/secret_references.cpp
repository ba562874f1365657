#include "migrationjob/secret_references.h"

#include "kube/json_path.h"
#include "workqueue/work_queue.h"

namespace schemagate::migrationjob {
namespace {

// "namespace/name" of the Secret `object` names, "" when it names none.
std::string secret_key_of(const kube::Json& object) {
  std::string name = kube::string_at(object, {"spec", "database", "urlSecretRef", "name"});
  return name.empty() ? "" : kube::namespace_of(object) + "/" + name;
}

}  // namespace

watch::DeltaHandler SecretReferences::track() {
  return [this](const watch::Delta& delta) {
    record(delta.key,
           delta.type == watch::Delta::Type::kDeleted ? "" : secret_key_of(delta.object));
  };
}

watch::DeltaHandler SecretReferences::enqueue_referrers(workqueue::WorkQueue& queue) {
  return [this, &queue](const watch::Delta& delta) {
    for (const std::string& key : referrers(delta.key)) queue.add(key);
  };
}

std::set<std::string> SecretReferences::referrers(const std::string& secret_key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = referrers_.find(secret_key);
  return found == referrers_.end() ? std::set<std::string>() : found->second;
}

void SecretReferences::record(const std::string& migration_job, const std::string& secret_key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto previous = secret_of_.find(migration_job);
  if (previous != secret_of_.end()) {
    if (previous->second == secret_key) return;
    auto& named = referrers_[previous->second];
    named.erase(migration_job);
    if (named.empty()) referrers_.erase(previous->second);
    secret_of_.erase(previous);
  }
  if (secret_key.empty()) return;
  secret_of_.emplace(migration_job, secret_key);
  referrers_[secret_key].insert(migration_job);
}

}  // namespace schemagate::migrationjob
