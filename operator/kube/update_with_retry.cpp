#include "kube/update_with_retry.h"

#include "schemagate/common/logging.h"

namespace schemagate::kube {

ApiResult<Json> update_with_retry(ObjectClient& client, const ResourceRef& ref,
                                  const std::string& ns, const std::string& name,
                                  const std::function<bool(Json&)>& mutate, UpdateTarget target,
                                  int attempts) {
  for (int attempt = 1;; ++attempt) {
    ApiResult<Json> current = client.get(ref, ns, name);
    if (!current) return current;
    Json changed = *current;
    if (!mutate(changed)) return current;
    ApiResult<Json> written = target == UpdateTarget::kStatus ? client.update_status(ref, changed)
                                                              : client.update(ref, changed);
    if (written || written.error().kind() != ErrorKind::kConflict || attempt >= attempts) {
      return written;
    }
    log::debug("update conflicted; reading again",
               {{"object", ns + "/" + name}, {"attempt", attempt}});
  }
}

}  // namespace schemagate::kube
