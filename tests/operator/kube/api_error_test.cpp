#include <catch2/catch.hpp>

#include "kube/api_error.h"

using schemagate::kube::ApiError;
using schemagate::kube::ErrorKind;

namespace {

std::string status(int code, const std::string& reason, const std::string& message,
                   const std::string& details = "{}") {
  return R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":")" + message +
         R"(","reason":")" + reason + R"(","details":)" + details +
         R"(,"code":)" + std::to_string(code) + "}";
}

ApiError answer(int code, const std::string& reason, const std::string& retry_after = "") {
  return ApiError::from_response(code, status(code, reason, "msg"), retry_after,
                                 "https://127.0.0.1:6443");
}

}  // namespace

TEST_CASE("Status answers map to typed errors", "[kube]") {
  CHECK(answer(404, "NotFound").kind() == ErrorKind::kNotFound);
  CHECK(answer(409, "AlreadyExists").kind() == ErrorKind::kAlreadyExists);
  CHECK(answer(409, "Conflict").kind() == ErrorKind::kConflict);
  CHECK(answer(410, "Expired").kind() == ErrorKind::kGone);
  CHECK(answer(410, "Gone").kind() == ErrorKind::kGone);
  CHECK(answer(429, "TooManyRequests").kind() == ErrorKind::kTooManyRequests);
  CHECK(answer(401, "Unauthorized").kind() == ErrorKind::kUnauthorized);
  CHECK(answer(403, "Forbidden").kind() == ErrorKind::kForbidden);
  CHECK(answer(422, "Invalid").kind() == ErrorKind::kInvalid);
  CHECK(answer(400, "BadRequest").kind() == ErrorKind::kBadRequest);
  CHECK(answer(500, "InternalError").kind() == ErrorKind::kServerError);
  CHECK(answer(503, "ServiceUnavailable").kind() == ErrorKind::kServerError);
}

TEST_CASE("an API error keeps the status, reason and server message", "[kube]") {
  ApiError error = ApiError::from_response(
      404, status(404, "NotFound", R"(migrationjobs.schemagate.io \"x\" not found)"), "",
      "https://10.0.0.1:443");
  CHECK(error.http_status() == 404);
  CHECK(error.reason() == "NotFound");
  CHECK_THAT(error.message(), Catch::Contains("https://10.0.0.1:443") &&
                                  Catch::Contains("\"x\" not found"));
  CHECK_FALSE(error.retryable());
}

TEST_CASE("Retry-After comes from the header or from details.retryAfterSeconds", "[kube]") {
  CHECK(answer(429, "TooManyRequests", "7").retry_after() == std::chrono::seconds(7));
  ApiError from_details = ApiError::from_response(
      429, status(429, "TooManyRequests", "slow down", R"({"retryAfterSeconds":3})"), "",
      "https://s");
  CHECK(from_details.retry_after() == std::chrono::seconds(3));
  CHECK_FALSE(answer(503, "ServiceUnavailable", "Wed, 21 Oct 2015 07:28:00 GMT").retry_after());
  CHECK(answer(429, "TooManyRequests").retryable());
  CHECK(answer(500, "InternalError").retryable());
}

TEST_CASE("a body that is not a Status still gives a typed error", "[kube]") {
  ApiError error = ApiError::from_response(502, "<html>Bad Gateway</html>", "", "https://s");
  CHECK(error.kind() == ErrorKind::kServerError);
  CHECK_THAT(error.message(), Catch::Contains("502") && Catch::Contains("Bad Gateway"));
}

TEST_CASE("401 says what to check", "[kube]") {
  ApiError error = answer(401, "Unauthorized");
  CHECK_THAT(error.message(), Catch::Contains("https://127.0.0.1:6443") &&
                                  Catch::Contains("token may be expired or wrong") &&
                                  Catch::Contains("kubeconfig"));
}

TEST_CASE("a watch ERROR event's Status maps like an answer", "[kube]") {
  ApiError error = ApiError::from_status_object(
      status(410, "Expired", "too old resource version: 5 (10)"), "https://s");
  CHECK(error.kind() == ErrorKind::kGone);
  CHECK(error.http_status() == 410);
}
