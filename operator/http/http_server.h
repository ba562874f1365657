#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "schemagate/common/result.h"

namespace web::http::experimental::listener {
class http_listener;
}

namespace schemagate::http {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

/// Answers GET on one path.
using Route = std::function<HttpResponse()>;

/// Where to listen: host and port of a bind address as controller-runtime
/// spells it (":8080" = all interfaces, "127.0.0.1:8081"); nullopt for "0"
/// (disabled).
struct BindAddress {
  std::string host;
  int port = 0;
};
Result<std::optional<BindAddress>> parse_bind_address(const std::string& text);

/// A small HTTP server for probes and metrics, over cpprestsdk's listener.
/// Unknown paths get 404, other methods 405.
class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> start(const BindAddress& address,
                                                   std::map<std::string, Route> routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  const std::string& url() const { return url_; }

 private:
  HttpServer(std::string url, std::map<std::string, Route> routes);

  std::string url_;
  std::map<std::string, Route> routes_;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

}  // namespace schemagate::http
