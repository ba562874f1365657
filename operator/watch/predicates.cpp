#include "watch/predicates.h"

namespace schemagate::watch {
namespace {

// The API server empties the status of an object it creates; only a
// controller reporting on it fills it.
bool has_status(const Json& object) {
  return object.has_object_field("status") && object.at("status").size() > 0;
}

}  // namespace

DeltaHandler except_new_children(DeltaHandler handler) {
  return [handler = std::move(handler)](const Delta& delta) {
    if (delta.type != Delta::Type::kAdded || has_status(delta.object)) handler(delta);
  };
}

}  // namespace schemagate::watch
