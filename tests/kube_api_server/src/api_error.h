#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <cpprest/json.h>

namespace schemagate::testing::kube {

/// One entry of `details.causes` in an Invalid Status ("spec.image: Required value").
struct FieldCause {
  std::string reason;   ///< FieldValueRequired, FieldValueNotSupported, FieldValueInvalid
  std::string field;    ///< "spec.image"
  std::string message;  ///< "Required value"
};

/// A failed API call as the real API server reports it: an HTTP code and a
/// `Status` object (kind Status, status Failure, reason, message, details).
struct ApiError {
  int code = 500;
  std::string reason;
  std::string message;
  web::json::value details = web::json::value::null();
  int retry_after_seconds = 0;  ///< sent as Retry-After and details.retryAfterSeconds when > 0

  web::json::value to_status() const;
};

/// The parts of a resource an error message names: `deployments.apps "x"`.
struct ErrorSubject {
  std::string group;     ///< "" for the core group
  std::string resource;  ///< plural, "deployments"
  std::string name;
};

ApiError not_found(const ErrorSubject& subject);
ApiError already_exists(const ErrorSubject& subject);
ApiError conflict(const ErrorSubject& subject, const std::string& why);
/// 422 for `kind.group "name"` with one cause per bad field.
ApiError invalid(const std::string& kind, const ErrorSubject& subject,
                 const std::vector<FieldCause>& causes);
ApiError bad_request(const std::string& message);
/// 422 without field causes, as for a JSON patch that does not apply.
ApiError unprocessable(const std::string& message);
ApiError method_not_allowed(const std::string& message);
/// 415 for a body in `content_type`, naming the media types that would do.
ApiError unsupported_media_type(const std::string& content_type, const std::string& accepted);
ApiError unauthorized();
ApiError expired(const std::string& message);
ApiError too_many_requests(int retry_after_seconds);
ApiError internal_error(const std::string& message);
/// The answer for a path under a known group version that names no resource.
ApiError resource_not_found();

/// Either a value or the ApiError to answer with.
template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  ApiResult(ApiError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { assert(ok()); return std::get<T>(state_); }
  T& value() & { assert(ok()); return std::get<T>(state_); }
  const ApiError& error() const { assert(!ok()); return std::get<ApiError>(state_); }

 private:
  std::variant<T, ApiError> state_;
};

}  // namespace schemagate::testing::kube
