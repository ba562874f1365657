#pragma once

#include <optional>
#include <string>
#include <vector>

#include <cpprest/json.h>

#include "resource_registry.h"

/// The little of the OpenAPI v3 documents that kubectl needs. kubectl apply
/// and create validate objects against the server's schemas unless the
/// server declares, per resource, that its PATCH takes the fieldValidation
/// query parameter (then validation is left to the server). So each group
/// version document lists, for each resource, a PATCH operation with its
/// x-kubernetes-group-version-kind and that parameter, and no schemas.
namespace schemagate::testing::kube {

/// `/openapi/v3`: `{"paths": {"apis/apps/v1": {"serverRelativeURL": ...}}}`.
web::json::value openapi_v3_root(const std::vector<ResourceType>& types);

/// `/openapi/v3/<path>` where path is "api/v1" or "apis/<group>/<version>".
std::optional<web::json::value> openapi_v3_document(const std::vector<ResourceType>& types,
                                                    const std::string& path);

}  // namespace schemagate::testing::kube
