#pragma once

#include <string>

namespace schemagate::kube {

/// Hook for /metrics: every HTTP request the client sent, as client-go counts
/// them in rest_client_requests_total.
class RequestMetrics {
 public:
  virtual ~RequestMetrics() = default;
  /// `method` is the HTTP method ("GET"), `host` the server's "host:port",
  /// `code` the HTTP status, or 0 when no answer came (client-go's "<error>").
  virtual void on_request(const std::string& method, const std::string& host, int code) = 0;
};

}  // namespace schemagate::kube
