#pragma once

#include <string>

#include <cpprest/json.h>

#include "api_error.h"

namespace schemagate::testing::kube {

/// kubectl sends built-in objects it builds itself (`kubectl create
/// namespace|configmap|secret|serviceaccount`) as
/// application/vnd.kubernetes.protobuf: the "k8s\0" magic, then a
/// runtime.Unknown envelope around the object. This decodes those kinds to
/// the JSON the rest of the server handles; other kinds answer 415, which
/// also tells clients to send JSON.
ApiResult<web::json::value> decode_protobuf(const std::string& body);

}  // namespace schemagate::testing::kube
