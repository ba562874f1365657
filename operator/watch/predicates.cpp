#include "watch/predicates.h"

namespace schemagate::watch {

DeltaHandler except_additions(DeltaHandler handler) {
  return [handler = std::move(handler)](const Delta& delta) {
    if (delta.type != Delta::Type::kAdded) handler(delta);
  };
}

}  // namespace schemagate::watch
