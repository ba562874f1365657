#include "migrationjob/json_merge.h"

#include <algorithm>
#include <vector>

#include "kube/json_path.h"

namespace schemagate::migrationjob {
namespace {

std::string text_of(const Json& item, const std::string& field) {
  return kube::string_at(item, {field.c_str()});
}

}  // namespace

Json merge_patch(Json target, const Json& patch) {
  if (patch.is_null()) return target;
  if (!patch.is_object()) return patch;
  if (!target.is_object()) target = Json::object();
  for (const auto& [field, value] : patch.as_object()) {
    if (value.is_null()) {
      if (target.has_field(field)) target.erase(field);
    } else {
      target[field] = merge_patch(target.has_field(field) ? target.at(field) : Json::null(), value);
    }
  }
  return target;
}

Json appended(const Json& first, const Json& second, const std::string& key) {
  std::vector<Json> items;
  for (const Json* list : {&first, &second}) {
    if (!list->is_array()) continue;
    for (const Json& item : list->as_array()) {
      bool seen = !key.empty() && std::any_of(items.begin(), items.end(), [&](const Json& kept) {
        return text_of(kept, key) == text_of(item, key);
      });
      if (!seen) items.push_back(item);
    }
  }
  return items.empty() ? Json::null() : Json::array(items);
}

Json without(const Json& list, const std::string& field, const std::string& value) {
  if (!list.is_array()) return list;
  std::vector<Json> kept;
  for (const Json& item : list.as_array()) {
    if (text_of(item, field) != value) kept.push_back(item);
  }
  return Json::array(kept);
}

}  // namespace schemagate::migrationjob
