#include "http/http_server.h"

#include <cpprest/http_listener.h>

#include "schemagate/common/logging.h"

namespace schemagate::http {

Result<std::optional<BindAddress>> parse_bind_address(const std::string& text) {
  if (text == "0") return std::optional<BindAddress>();
  auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    return Error(ErrorCode::kInvalid, "bind address \"" + text +
                                          "\" must be HOST:PORT, :PORT, or 0 to disable");
  }
  BindAddress address;
  address.host = colon == 0 ? "0.0.0.0" : text.substr(0, colon);
  std::string port = text.substr(colon + 1);
  bool digits = !port.empty() && port.size() <= 5 &&
                port.find_first_not_of("0123456789") == std::string::npos;
  address.port = digits ? std::stoi(port) : 0;
  if (address.port <= 0 || address.port > 65535) {
    return Error(ErrorCode::kInvalid, "bind address \"" + text + "\" has no valid port");
  }
  return std::optional<BindAddress>(address);
}

HttpServer::HttpServer(std::string url, std::map<std::string, Route> routes)
    : url_(std::move(url)), routes_(std::move(routes)) {}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const BindAddress& address,
                                                       std::map<std::string, Route> routes) {
  std::string url = "http://" + address.host + ":" + std::to_string(address.port);
  std::unique_ptr<HttpServer> server(new HttpServer(url, std::move(routes)));
  using web::http::experimental::listener::http_listener;
  try {
    server->listener_ = std::make_unique<http_listener>(url);
    HttpServer* self = server.get();
    server->listener_->support([self](const web::http::http_request& request) {
      if (request.method() != web::http::methods::GET) {
        request.reply(web::http::status_codes::MethodNotAllowed).wait();
        return;
      }
      auto route = self->routes_.find(request.relative_uri().path());
      if (route == self->routes_.end()) {
        request.reply(web::http::status_codes::NotFound, "not found\n").wait();
        return;
      }
      HttpResponse response = route->second();
      request.reply(response.status, response.body, response.content_type).wait();
    });
    server->listener_->open().wait();
  } catch (const std::exception& e) {
    // Never opened: nothing to close (closing it would fail and warn).
    server->listener_.reset();
    return Error(ErrorCode::kInvalid, "cannot listen on " + url + ": " + e.what());
  }
  log::info("serving HTTP", {{"url", url}});
  return server;
}

HttpServer::~HttpServer() {
  try {
    if (listener_) listener_->close().wait();
  } catch (const std::exception& e) {
    log::warn("closing the HTTP listener failed", {{"url", url_}, {"error", e.what()}});
  }
}

}  // namespace schemagate::http
