#include "migrationjob/migration_reconciler.h"

#include "kube/json_path.h"
#include "kube/time_format.h"
#include "kube/update_with_retry.h"
#include "migrationjob/job_builder.h"
#include "migrationjob/resources.h"
#include "migrationjob/status_json.h"
#include "schemagate/common/logging.h"
#include "workqueue/work_queue.h"

namespace schemagate::migrationjob {
namespace {

using kube::find_path;
using kube::string_at;

const kube::ResourceRef& workload_ref(const std::string& kind) {
  return kind == "StatefulSet" ? kStatefulSets : kDeployments;
}

// A GET where absence is an answer, not an error.
Result<std::optional<Json>> get_if_exists(kube::ObjectClient& client,
                                          const kube::ResourceRef& ref, const std::string& ns,
                                          const std::string& name) {
  kube::ApiResult<Json> found = client.get(ref, ns, name);
  if (found) return std::optional<Json>(*found);
  if (found.error().kind() == kube::ErrorKind::kNotFound) return std::optional<Json>();
  return found.error().to_error();
}

// A workload by kind and name, read once for this reconcile.
Result<std::optional<Workload>> find_workload(kube::ObjectClient& client, const std::string& ns,
                                              const std::string& kind, const std::string& name) {
  auto found = get_if_exists(client, workload_ref(kind), ns, name);
  if (!found) return found.error();
  if (!*found) return std::optional<Workload>();
  return std::optional<Workload>(read_workload(**found));
}

Observed::Secret secret_state(const std::optional<Json>& secret, const std::string& key) {
  if (!secret) return Observed::Secret::kMissing;
  return read_secret(*secret).has_key(key) ? Observed::Secret::kPresent
                                           : Observed::Secret::kMissingKey;
}

}  // namespace

Result<controller::ReconcileResult> MigrationReconciler::reconcile(const std::string& key) {
  std::optional<Json> cached = migration_jobs_.get(key);
  // Gone: its Jobs go with it (ownerReferences); a held workload was
  // released before the finalizer let it go.
  if (!cached) return controller::ReconcileResult{};
  MigrationJob object = read_migration_job(*cached);
  Result<Observed> observed = observe(object);
  if (!observed) return observed.error().with_context("MigrationJob " + key);
  Decision decision = decide(*observed);
  Status applied = apply(*cached, object, decision);
  if (!applied) return applied.error().with_context("MigrationJob " + key);
  report(object, decision);
  controller::ReconcileResult result;
  if (decision.requeue_after) result.requeue_after = *decision.requeue_after;
  return result;
}

Result<Observed> MigrationReconciler::observe(const MigrationJob& object) {
  Observed observed;
  observed.object = object;
  std::string current_target;
  if (object.spec && object.spec->rollout_target) {
    const TargetRef& target = *object.spec->rollout_target;
    current_target = target_text(target);
    auto found = find_workload(client_, object.ns, target.kind, target.name);
    if (!found) return found.error();
    observed.target = *found;
  }
  const std::string& former = object.status.rollout_target;
  size_t slash = former.find('/');
  if (slash != std::string::npos && former != current_target && (object.spec || object.deleting)) {
    auto found =
        find_workload(client_, object.ns, former.substr(0, slash), former.substr(slash + 1));
    if (!found) return found.error();
    observed.former_target = *found;
  }
  if (!object.spec || object.deleting) return observed;

  const std::string name = job_name(object.name, object.uid, object.generation);
  const std::string contract =
      job_name(object.name, object.uid, object.generation, JobPhase::kContract);
  if (std::optional<Json> job = jobs_.get(object.ns + "/" + name)) observed.job = read_job(*job);
  const bool splits = splits_phases(*object.spec);
  if (std::optional<Json> job = jobs_.get(object.ns + "/" + contract); job && splits) {
    observed.contract_job = read_job(*job);
  }
  bool recorded = outcome_recorded(object, name) || outcome_recorded(object, contract);
  // Between the two Jobs of a split, status holds what the expand Job reported.
  const bool expanded = splits && expanded_for_rollout(object);
  // The report of the latest Job, read once: when it has just finished.
  const std::optional<JobView>& latest = observed.contract_job ? observed.contract_job : observed.job;
  if (latest && !recorded && latest->progress.finished() && (observed.contract_job || !expanded)) {
    auto report = job_report(object.ns, latest->name);
    if (!report) return report.error();
    observed.report = *report;
  }
  if (recorded || observed.contract_job) return observed;
  if (expanded) {
    // Between the two Jobs: the rollout's pods, and the Secret the contract Job needs.
    if (observed.target && !observed.target->selector.empty()) {
      kube::ListOptions selected;
      selected.label_selector = observed.target->selector;
      kube::ApiResult<kube::ObjectList> pods = client_.list(kPods, object.ns, selected);
      if (!pods) return pods.error().to_error();
      for (const Json& pod : pods->items) observed.target_pods.push_back(read_pod(pod));
    }
    return with_secret(object, std::move(observed));
  }
  if (observed.job) return observed;
  // Only one Job of a MigrationJob runs at a time. The one before is the
  // one status names, or the previous generation's, when a crash came
  // between creating it and recording it.
  for (const std::string& previous :
       {object.status.job_name, job_name(object.name, object.uid, object.generation - 1)}) {
    if (previous.empty() || previous == name || object.generation <= 1) continue;
    Result<std::optional<Json>> job = find_job(object.ns, previous);
    if (!job) return job.error();
    if (*job && !read_job_progress(**job).finished()) {
      observed.unfinished_previous_job = previous;
      return observed;
    }
  }
  return with_secret(object, std::move(observed));
}

Observed MigrationReconciler::with_secret(const MigrationJob& object, Observed observed) {
  const SecretKeyRef& secret = object.spec->database_url;
  observed.secret = secret_state(secrets_.get(object.ns + "/" + secret.name), secret.key);
  return observed;
}

Result<std::optional<RunnerReport>> MigrationReconciler::job_report(const std::string& ns,
                                                                    const std::string& job) {
  kube::ListOptions pods_of_job;
  pods_of_job.label_selector = "job-name=" + job;
  kube::ApiResult<kube::ObjectList> pods = client_.list(kPods, ns, pods_of_job);
  if (!pods) return pods.error().to_error();
  return parse_termination_message(runner_termination_message(pods->items));
}

Result<std::optional<Json>> MigrationReconciler::find_job(const std::string& ns,
                                                          const std::string& name) {
  if (std::optional<Json> cached = jobs_.get(ns + "/" + name)) return cached;
  // The cache may not have seen a Job created moments ago; asking is the
  // only way not to start a second runner beside it.
  kube::ListOptions by_name;
  by_name.field_selector = "metadata.name=" + name;
  kube::ApiResult<kube::ObjectList> found = client_.list(kJobs, ns, by_name);
  if (!found) return found.error().to_error();
  if (found->items.empty()) return std::optional<Json>();
  return std::optional<Json>(found->items.front());
}

Status MigrationReconciler::apply(const Json& cached, const MigrationJob& object,
                                  const Decision& decision) {
  // The finalizer goes on before the workload is held, so the hold can
  // never outlive the MigrationJob.
  if (decision.add_finalizer) {
    Status added = set_finalizer(object, true);
    if (!added) return added;
  }
  if (decision.create_job) {
    Status created = create_job(*decision.create_job);
    if (!created) return created;
  }
  for (const TargetPatch& change : decision.target_patches) {
    kube::ApiResult<Json> patched =
        client_.merge_patch(workload_ref(change.kind), object.ns, change.name, change.patch);
    if (!patched) {
      return patched.error().to_error().with_context("rollout target " + change.kind + "/" +
                                                     change.name);
    }
  }
  for (const EventSpec& event : decision.events) events_.record(object, event);
  if (decision.status) {
    Status written = write_status(cached, object, *decision.status);
    if (!written) return written;
  }
  if (decision.remove_finalizer) return set_finalizer(object, false);
  return {};
}

void MigrationReconciler::report(const MigrationJob& object, const Decision& decision) {
  if (!metrics_) return;
  for (const TargetPatch& change : decision.target_patches) {
    if (!change.hold) metrics_->on_rollout_released(object.ns + "/" + change.kind + "/" + change.name);
  }
  if (decision.holding) metrics_->on_rollout_held(object.ns + "/" + *decision.holding);
  if (decision.finished) {
    metrics_->on_migration_finished(decision.finished->outcome, decision.finished->seconds);
  }
}

Status MigrationReconciler::create_job(const Json& job) {
  std::string ns = kube::namespace_of(job);
  kube::ApiResult<Json> created = client_.create(kJobs, ns, job);
  if (created) {
    log::info("created job", {{"job", ns + "/" + kube::name_of(job)}});
    return {};
  }
  // The cache had not seen it yet: the Job of this generation exists, which
  // is all that was asked. Its next change brings it to the cache.
  if (created.error().kind() == kube::ErrorKind::kAlreadyExists) return {};
  return created.error().to_error();
}

Status MigrationReconciler::write_status(const Json& cached, const MigrationJob& object,
                                         const DesiredStatus& status) {
  const std::string now = kube::format_time(std::chrono::system_clock::now());
  // Against the cache first: an unchanged status costs no request, and a
  // changed one is written with the cached resourceVersion in one PUT (a
  // merge patch of the changed fields cost the API server more CPU: it
  // reads, patches and decodes the object again; bench/README.md).
  // Compared as JSON, so that a field this operator does not write is
  // dropped too.
  Json rendered = status_json(render_status(status, object.generation, object.status, now));
  const Json* cached_status = find_path(cached, {"status"});
  if (cached_status && *cached_status == rendered) return {};
  Json updated = cached;
  updated["status"] = rendered;
  kube::ApiResult<Json> first = client_.update_status(kMigrationJobs, updated);
  if (first || first.error().kind() == kube::ErrorKind::kNotFound) return {};
  if (first.error().kind() != kube::ErrorKind::kConflict) return first.error().to_error();
  // The cache was behind: read the object and try again.
  kube::ApiResult<Json> written = kube::update_with_retry(
      client_, kMigrationJobs, object.ns, object.name,
      [&](Json& fresh) {
        // Decided for a generation (or an object) that is no longer there:
        // the newer one has its own reconcile coming.
        if (kube::integer_at(fresh, {"metadata", "generation"}).value_or(1) != object.generation ||
            string_at(fresh, {"metadata", "uid"}) != object.uid) {
          return false;
        }
        const Json* old = find_path(fresh, {"status"});
        Json again = status_json(render_status(
            status, object.generation, old ? read_status(*old) : MigrationJobStatus{}, now));
        if (old && *old == again) return false;
        fresh["status"] = again;
        return true;
      },
      kube::UpdateTarget::kStatus);
  if (!written && written.error().kind() != kube::ErrorKind::kNotFound) {
    return written.error().to_error();
  }
  return {};
}

Status MigrationReconciler::set_finalizer(const MigrationJob& object, bool present) {
  kube::ApiResult<Json> written = kube::update_with_retry(
      client_, kMigrationJobs, object.ns, object.name, [&](Json& fresh) {
        std::vector<Json> kept;
        bool had = false;
        if (const Json* finalizers = find_path(fresh, {"metadata", "finalizers"});
            finalizers && finalizers->is_array()) {
          for (const Json& finalizer : finalizers->as_array()) {
            bool ours = finalizer.is_string() && finalizer.as_string() == kFinalizer;
            had = had || ours;
            if (!ours) kept.push_back(finalizer);
          }
        }
        if (had == present) return false;
        if (present) kept.push_back(Json::string(kFinalizer));
        fresh["metadata"]["finalizers"] = Json::array(kept);
        return true;
      });
  if (!written && written.error().kind() != kube::ErrorKind::kNotFound) {
    return written.error().to_error();
  }
  return {};
}

watch::DeltaHandler enqueue_owners(workqueue::WorkQueue& queue) {
  return [&queue](const watch::Delta& delta) {
    const Json* owners = find_path(delta.object, {"metadata", "ownerReferences"});
    if (!owners || !owners->is_array()) return;
    for (const Json& owner : owners->as_array()) {
      if (string_at(owner, {"kind"}) == "MigrationJob" && kube::bool_at(owner, {"controller"})) {
        queue.add(kube::namespace_of(delta.object) + "/" + string_at(owner, {"name"}));
      }
    }
  };
}

}  // namespace schemagate::migrationjob
