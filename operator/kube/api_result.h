#pragma once

#include "kube/api_error.h"
#include "schemagate/common/result.h"

namespace schemagate::kube {

/// A value or a typed ApiError: the kube counterpart of schemagate::Result,
/// so callers branch on error kinds (NotFound, Conflict, Gone) without
/// parsing messages.
template <typename T>
using ApiResult = BasicResult<T, ApiError>;

/// Nothing to return on success.
struct Done {};
using ApiStatus = ApiResult<Done>;

}  // namespace schemagate::kube
