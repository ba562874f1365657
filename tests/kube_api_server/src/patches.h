#pragma once

#include <cpprest/json.h>

#include "api_error.h"

namespace schemagate::testing::kube {

/// RFC 7386 JSON merge patch: objects merge, `null` deletes, anything else replaces.
web::json::value merge_patch(const web::json::value& target, const web::json::value& patch);

/// The subset of strategic merge patch that kubectl sends for built-ins:
/// a merge patch whose lists of objects with a known merge key (containers,
/// env, volumes by `name`; conditions by `type`; ...) merge element-wise,
/// and whose `$`-directives (`$setElementOrder/...`, `$retainKeys`) are
/// ignored except `$patch: delete` on a list element.
web::json::value strategic_merge_patch(const web::json::value& target,
                                       const web::json::value& patch);

/// RFC 6902 JSON patch (add, remove, replace, move, copy, test).
ApiResult<web::json::value> json_patch(const web::json::value& target,
                                       const web::json::value& operations);

}  // namespace schemagate::testing::kube
