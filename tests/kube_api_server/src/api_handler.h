#pragma once

#include <map>
#include <memory>
#include <string>

#include <cpprest/json.h>

#include "object_store.h"
#include "watch_stream.h"

namespace schemagate::testing::kube {

/// An API request with the transport taken away: what ApiHandler needs.
struct ApiRequest {
  std::string method;  ///< GET, POST, PUT, PATCH, DELETE
  std::string path;    ///< "/apis/apps/v1/namespaces/default/deployments/web"
  std::map<std::string, std::string> query;  ///< decoded
  std::string content_type;                  ///< without parameters
  std::string body;
};

/// What to answer: a JSON document, or a watch stream sent as a chunked body.
struct ApiReply {
  int status = 200;
  web::json::value body = web::json::value::null();
  std::shared_ptr<WatchStream> stream;
  int retry_after_seconds = 0;  ///< Retry-After header when > 0
};

/// Routes Kubernetes API paths (discovery, /version, resources and their
/// status subresource) to the object store and turns its results and errors
/// into replies, as the real API server's handler chain does.
class ApiHandler {
 public:
  ApiHandler(ObjectStore& store, std::string server_address);

  ApiReply handle(const ApiRequest& request);

 private:
  ApiReply handle_resource(const ApiRequest& request, const std::string& group,
                           const std::string& version, std::vector<std::string> rest);

  ObjectStore& store_;
  std::string server_address_;
};

/// Splits and percent-decodes a query string ("a=b%20c&d" -> {a: "b c", d: ""}).
std::map<std::string, std::string> parse_query(const std::string& query);

/// The answer for a failed call.
ApiReply error_reply(const ApiError& error);

}  // namespace schemagate::testing::kube
