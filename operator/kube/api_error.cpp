#include "kube/api_error.h"

#include <cctype>

#include <cpprest/json.h>

namespace schemagate::kube {
namespace {

struct StatusFields {
  std::string reason;
  std::string message;
  int code = 0;
  std::optional<std::chrono::seconds> retry_after;
};

// Reads the parts of a metav1.Status we act on; anything else (HTML from a
// proxy, an empty body) leaves the fields empty.
StatusFields parse_status(const std::string& body) {
  StatusFields fields;
  std::error_code ignored;
  web::json::value json = web::json::value::parse(body, ignored);
  if (ignored || !json.is_object()) return fields;
  const auto& object = json.as_object();
  auto text = [&](const char* name) {
    auto found = object.find(name);
    return found != object.end() && found->second.is_string() ? found->second.as_string()
                                                              : std::string();
  };
  fields.reason = text("reason");
  fields.message = text("message");
  auto code = object.find("code");
  if (code != object.end() && code->second.is_integer()) fields.code = code->second.as_integer();
  auto details = object.find("details");
  if (details != object.end() && details->second.is_object() &&
      details->second.has_integer_field("retryAfterSeconds")) {
    fields.retry_after = std::chrono::seconds(details->second.at("retryAfterSeconds").as_integer());
  }
  return fields;
}

ErrorKind kind_of(int http_status, const std::string& reason) {
  switch (http_status) {
    case 401: return ErrorKind::kUnauthorized;
    case 403: return ErrorKind::kForbidden;
    case 404: return ErrorKind::kNotFound;
    case 409: return reason == "AlreadyExists" ? ErrorKind::kAlreadyExists : ErrorKind::kConflict;
    case 410: return ErrorKind::kGone;
    case 422: return ErrorKind::kInvalid;
    case 429: return ErrorKind::kTooManyRequests;
    default: break;
  }
  if (reason == "Expired" || reason == "Gone") return ErrorKind::kGone;
  return http_status >= 500 ? ErrorKind::kServerError : ErrorKind::kBadRequest;
}

ApiError build(int http_status, const StatusFields& status, const std::string& body,
               const std::string& server) {
  ErrorKind kind = kind_of(http_status, status.reason);
  std::string detail = !status.message.empty() ? status.message
                       : body.size() > 200     ? body.substr(0, 200) + "..."
                                               : body;
  std::string message = "API server " + server + " answered " + std::to_string(http_status);
  if (!status.reason.empty()) message += " " + status.reason;
  if (!detail.empty()) message += ": " + detail;
  if (kind == ErrorKind::kUnauthorized) {
    message += " (the credentials were refused: the bearer token may be expired or wrong, or the "
               "client certificate not trusted; check the kubeconfig user of the current context, "
               "or the mounted service account token in the cluster)";
  } else if (kind == ErrorKind::kForbidden) {
    message += " (authenticated, but RBAC does not allow this; check the Role/ClusterRole bound "
               "to this identity)";
  }
  ApiError error(kind, message, http_status, status.reason);
  if (status.retry_after) error.set_retry_after(*status.retry_after);
  return error;
}

}  // namespace

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kAlreadyExists: return "already-exists";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kGone: return "gone";
    case ErrorKind::kTooManyRequests: return "too-many-requests";
    case ErrorKind::kUnauthorized: return "unauthorized";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kInvalid: return "invalid";
    case ErrorKind::kBadRequest: return "bad-request";
    case ErrorKind::kServerError: return "server-error";
    case ErrorKind::kTransport: return "transport";
    case ErrorKind::kDecode: return "decode";
  }
  return "unknown";
}

std::optional<std::chrono::seconds> parse_retry_after(const std::string& header) {
  if (header.empty() || header.size() > 9) return std::nullopt;
  for (char c : header) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return std::chrono::seconds(std::stol(header));
}

ApiError ApiError::from_response(int http_status, const std::string& body,
                                 const std::string& retry_after, const std::string& server) {
  StatusFields status = parse_status(body);
  if (auto header = parse_retry_after(retry_after)) status.retry_after = header;
  return build(http_status, status, body, server);
}

ApiError ApiError::from_status_object(const std::string& status_json, const std::string& server) {
  StatusFields status = parse_status(status_json);
  // A watch ERROR without a code is still an error; treat it as a server one.
  return build(status.code != 0 ? status.code : 500, status, status_json, server);
}

bool ApiError::retryable() const {
  return kind_ == ErrorKind::kTooManyRequests || kind_ == ErrorKind::kServerError ||
         kind_ == ErrorKind::kTransport;
}

Error ApiError::to_error() const {
  bool unreachable = kind_ == ErrorKind::kTransport || kind_ == ErrorKind::kServerError ||
                     kind_ == ErrorKind::kTooManyRequests;
  return Error(unreachable ? ErrorCode::kUnreachable : ErrorCode::kInvalid, message_);
}

}  // namespace schemagate::kube
