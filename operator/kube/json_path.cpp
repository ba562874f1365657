#include "kube/json_path.h"

namespace schemagate::kube {

const Json* find_path(const Json& root, std::initializer_list<const char*> path) {
  const Json* at = &root;
  for (const char* step : path) {
    if (!at->is_object()) return nullptr;
    const auto& fields = at->as_object();
    auto found = fields.find(step);
    if (found == fields.end()) return nullptr;
    at = &found->second;
  }
  return at;
}

std::string string_at(const Json& root, std::initializer_list<const char*> path) {
  const Json* value = find_path(root, path);
  return value && value->is_string() ? value->as_string() : "";
}

std::optional<int64_t> integer_at(const Json& root, std::initializer_list<const char*> path) {
  const Json* value = find_path(root, path);
  if (!value || !value->is_integer()) return std::nullopt;
  return value->as_number().to_int64();
}

bool bool_at(const Json& root, std::initializer_list<const char*> path, bool fallback) {
  const Json* value = find_path(root, path);
  return value && value->is_boolean() ? value->as_bool() : fallback;
}

void set_path(Json& root, std::initializer_list<const char*> path, Json value) {
  Json* at = &root;
  for (const char* step : path) {
    if (!at->is_object()) *at = Json::object();
    at = &(*at)[step];
  }
  *at = std::move(value);
}

}  // namespace schemagate::kube
