#include "controller/logging_reconciler.h"

#include "schemagate/common/logging.h"

namespace schemagate::controller {

Result<ReconcileResult> LoggingReconciler::reconcile(const std::string& key) {
  std::optional<kube::Json> object = store_.get(key);
  if (!object) {
    log::info("observed deletion", {{"kind", kind_}, {"key", key}});
    return ReconcileResult{};
  }
  std::string generation;
  if (object->has_object_field("metadata") &&
      object->at("metadata").has_integer_field("generation")) {
    generation = std::to_string(object->at("metadata").at("generation").as_number().to_int64());
  }
  log::info("observed object", {{"kind", kind_},
                                {"key", key},
                                {"resource_version", kube::resource_version_of(*object)},
                                {"generation", generation}});
  return ReconcileResult{};
}

}  // namespace schemagate::controller
