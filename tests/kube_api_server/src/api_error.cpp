#include "api_error.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

std::string qualified(const ErrorSubject& subject) {
  return subject.group.empty() ? subject.resource : subject.resource + "." + subject.group;
}

value subject_details(const ErrorSubject& subject, const std::string& kind) {
  value details = value::object();
  details["name"] = value::string(subject.name);
  if (!subject.group.empty()) details["group"] = value::string(subject.group);
  details["kind"] = value::string(kind);
  return details;
}

ApiError make(int code, std::string reason, std::string message,
              value details = value::null()) {
  ApiError error;
  error.code = code;
  error.reason = std::move(reason);
  error.message = std::move(message);
  error.details = std::move(details);
  return error;
}

}  // namespace

value ApiError::to_status() const {
  value status = value::object();
  status["kind"] = value::string("Status");
  status["apiVersion"] = value::string("v1");
  status["metadata"] = value::object();
  status["status"] = value::string("Failure");
  status["message"] = value::string(message);
  if (!reason.empty()) status["reason"] = value::string(reason);
  value all_details = details;
  if (retry_after_seconds > 0) {
    if (!all_details.is_object()) all_details = value::object();
    all_details["retryAfterSeconds"] = value::number(retry_after_seconds);
  }
  if (all_details.is_object()) status["details"] = all_details;
  status["code"] = value::number(code);
  return status;
}

ApiError not_found(const ErrorSubject& subject) {
  return make(404, "NotFound", qualified(subject) + " \"" + subject.name + "\" not found",
              subject_details(subject, subject.resource));
}

ApiError already_exists(const ErrorSubject& subject) {
  return make(409, "AlreadyExists",
              qualified(subject) + " \"" + subject.name + "\" already exists",
              subject_details(subject, subject.resource));
}

ApiError conflict(const ErrorSubject& subject, const std::string& why) {
  return make(409, "Conflict",
              "Operation cannot be fulfilled on " + qualified(subject) + " \"" + subject.name +
                  "\": " + why,
              subject_details(subject, subject.resource));
}

ApiError invalid(const std::string& kind, const ErrorSubject& subject,
                 const std::vector<FieldCause>& causes) {
  std::string qualified_kind = subject.group.empty() ? kind : kind + "." + subject.group;
  std::string joined;
  value details = subject_details(subject, kind);
  value cause_list = value::array();
  for (size_t i = 0; i < causes.size(); ++i) {
    if (i > 0) joined += ", ";
    joined += causes[i].field + ": " + causes[i].message;
    value cause = value::object();
    cause["reason"] = value::string(causes[i].reason);
    cause["message"] = value::string(causes[i].message);
    cause["field"] = value::string(causes[i].field);
    cause_list[i] = cause;
  }
  // The real server brackets the list when there is more than one error.
  if (causes.size() > 1) joined = "[" + joined + "]";
  std::string message = qualified_kind + " \"" + subject.name + "\" is invalid: " + joined;
  details["causes"] = cause_list;
  return make(422, "Invalid", message, details);
}

ApiError bad_request(const std::string& message) { return make(400, "BadRequest", message); }

ApiError unprocessable(const std::string& message) {
  return make(422, "Invalid", message);
}

ApiError method_not_allowed(const std::string& message) {
  return make(405, "MethodNotAllowed", message);
}

ApiError unsupported_media_type(const std::string& content_type, const std::string& accepted) {
  return make(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types "
              "include: " + accepted + (content_type.empty() ? "" : " (got " + content_type + ")"));
}

ApiError unauthorized() { return make(401, "Unauthorized", "Unauthorized"); }

ApiError expired(const std::string& message) { return make(410, "Expired", message); }

ApiError too_many_requests(int retry_after_seconds) {
  ApiError error = make(429, "TooManyRequests", "Too many requests, please try again later.");
  error.retry_after_seconds = retry_after_seconds;
  return error;
}

ApiError internal_error(const std::string& message) {
  value details = value::object();
  value cause = value::object();
  cause["message"] = value::string(message);
  details["causes"] = value::array({cause});
  return make(500, "InternalError", "Internal error occurred: " + message, details);
}

ApiError resource_not_found() {
  return make(404, "NotFound", "the server could not find the requested resource",
              value::object());
}

}  // namespace schemagate::testing::kube
