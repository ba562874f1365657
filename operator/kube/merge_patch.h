#pragma once

#include "kube/object.h"

namespace schemagate::kube {

/// The JSON merge patch (RFC 7386) that turns `from` into `to`: the fields
/// of `to` that differ (objects compared field by field, anything else
/// replaced whole, arrays included), and null for each field of `from` that
/// `to` lacks. An empty object when they are equal.
Json merge_patch_between(const Json& from, const Json& to);

/// A merge patch of the status subresource that turns `current`'s status
/// into `status`, conditional on `current`'s resourceVersion (the server
/// answers 409 Conflict when the object changed since): only the fields that
/// change travel, where a PUT sends the whole object back.
Json status_patch(const Json& current, const Json& status);

}  // namespace schemagate::kube
