#pragma once

#include <string>

#include <cpprest/json.h>

namespace schemagate::testing::kube {

/// Removes `key` from a JSON object when present (cpprest's erase throws
/// when the key is absent).
inline void erase_field(web::json::value& object, const std::string& key) {
  if (object.is_object() && object.has_field(key)) object.erase(key);
}

}  // namespace schemagate::testing::kube
