#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "schemagate/common/error.h"

namespace schemagate::kube {

/// What a request to the API server ran into. Every HTTP 4xx/5xx answer is an
/// API error of a known kind, built from the `Status` object the server sent;
/// kTransport means no HTTP answer at all (connection refused, TLS, reset).
enum class ErrorKind {
  kNotFound,         ///< 404
  kAlreadyExists,    ///< 409, reason AlreadyExists
  kConflict,         ///< 409: stale resourceVersion; re-read and retry
  kGone,             ///< 410 (reason Gone or Expired): relist
  kTooManyRequests,  ///< 429: wait for Retry-After
  kUnauthorized,     ///< 401: the credentials are not accepted
  kForbidden,        ///< 403: RBAC refuses the verb
  kInvalid,          ///< 422: the object fails validation
  kBadRequest,       ///< 400 and other 4xx
  kServerError,      ///< 5xx
  kTransport,        ///< no HTTP answer
  kDecode,           ///< an answer we could not parse
};

/// Short name for logs and messages ("not-found", "conflict", ...).
const char* to_string(ErrorKind kind);

class ApiError {
 public:
  ApiError(ErrorKind kind, std::string message, int http_status = 0, std::string reason = "")
      : kind_(kind), message_(std::move(message)), http_status_(http_status),
        reason_(std::move(reason)) {}

  /// The error for an HTTP answer with status `http_status` and `body`
  /// (usually a metav1.Status). `retry_after` is the Retry-After header, when
  /// present. `server` is named in messages that tell the user what to check.
  static ApiError from_response(int http_status, const std::string& body,
                                const std::string& retry_after, const std::string& server);
  /// A watch ERROR event carries a Status object in place of an HTTP answer.
  static ApiError from_status_object(const std::string& status_json, const std::string& server);

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  int http_status() const { return http_status_; }
  /// The Status reason ("NotFound", "Conflict", "Expired", ...), possibly empty.
  const std::string& reason() const { return reason_; }
  /// How long the server asked us to wait (429, 503), if it said.
  const std::optional<std::chrono::seconds>& retry_after() const { return retry_after_; }
  void set_retry_after(std::chrono::seconds delay) { retry_after_ = delay; }

  /// Worth retrying the same request later: 429, 5xx, transport failures.
  bool retryable() const;

  /// As a common Error, for code that only reports.
  Error to_error() const;

 private:
  ErrorKind kind_;
  std::string message_;
  int http_status_;
  std::string reason_;
  std::optional<std::chrono::seconds> retry_after_;
};

/// Parses a Retry-After header given in seconds; HTTP dates and junk give nullopt.
std::optional<std::chrono::seconds> parse_retry_after(const std::string& header);

}  // namespace schemagate::kube
