#pragma once

#include <vector>

#include <cpprest/json.h>

#include "api_error.h"

namespace schemagate::testing::kube {

/// What the real server does with a custom resource and its version's
/// openAPIV3Schema before storing it, in the order it does it: drop fields
/// the schema does not declare (unless x-kubernetes-preserve-unknown-fields),
/// fill `default`s, then check types, `required` and `enum`. apiVersion,
/// kind and metadata at the root are left alone.
void prune_and_default(const web::json::value& schema, web::json::value& object);
std::vector<FieldCause> validate(const web::json::value& schema, const web::json::value& object);

}  // namespace schemagate::testing::kube
