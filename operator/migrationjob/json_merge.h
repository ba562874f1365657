#pragma once

#include <string>

#include "kube/object.h"

namespace schemagate::migrationjob {

using kube::Json;

/// `patch` applied to `target` as a JSON merge patch (RFC 7386): objects
/// merge field by field, a null removes the field, anything else replaces.
/// How a user's securityContext overrides the operator's defaults. A null
/// `patch` is an absent one and changes nothing.
Json merge_patch(Json target, const Json& patch);

/// The items of array `first`, then those of `second` whose `key` field is
/// not already among them (every item when `key` is empty); null stands
/// for no items, and no items at all gives null.
Json appended(const Json& first, const Json& second, const std::string& key = "");

/// The items of array `list` whose string field `field` is not `value`;
/// null when `list` is null.
Json without(const Json& list, const std::string& field, const std::string& value);

}  // namespace schemagate::migrationjob
