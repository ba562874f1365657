#include "test_client.h"

#include <fstream>
#include <sstream>

#include <cpprest/containerstream.h>

namespace schemagate::testing {
namespace {

web::http::client::http_client_config client_config(const KubeApiServer& server) {
  std::ifstream file(server.ca_certificate());
  std::stringstream ca;
  ca << file.rdbuf();
  std::string pem = ca.str();
  web::http::client::http_client_config config;
  config.set_timeout(std::chrono::seconds(30));
  config.set_ssl_context_callback([pem](boost::asio::ssl::context& context) {
    context.add_certificate_authority(boost::asio::buffer(pem));
  });
  return config;
}

}  // namespace

TestClient::Watch::Watch(web::http::http_response response) : status_(response.status_code()) {
  std::thread([state = state_, response] {
    concurrency::streams::istream body = response.body();
    while (true) {
      concurrency::streams::container_buffer<std::string> line;
      size_t read = 0;
      try {
        read = body.read_line(line).get();
      } catch (const std::exception&) {
        break;
      }
      if (read == 0 && body.is_eof()) break;
      if (line.collection().empty()) continue;
      std::lock_guard<std::mutex> lock(state->mutex);
      state->events.push_back(web::json::value::parse(line.collection()));
      state->changed.notify_all();
    }
    std::lock_guard<std::mutex> lock(state->mutex);
    state->closed = true;
    state->changed.notify_all();
  }).detach();
}

std::optional<web::json::value> TestClient::Watch::next(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  state_->changed.wait_for(lock, timeout,
                           [this] { return !state_->events.empty() || state_->closed; });
  if (state_->events.empty()) return std::nullopt;
  web::json::value event = state_->events.front();
  state_->events.pop_front();
  return event;
}

bool TestClient::Watch::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  return state_->changed.wait_for(lock, timeout, [this] { return state_->closed; });
}

TestClient::TestClient(const KubeApiServer& server) : TestClient(server, server.token()) {}

TestClient::TestClient(const KubeApiServer& server, std::string token)
    : token_(std::move(token)), client_(web::uri(server.url()), client_config(server)) {}

web::http::http_request TestClient::make(const web::http::method& method,
                                         const std::string& path) const {
  web::http::http_request request(method);
  request.set_request_uri(web::uri(path));
  request.headers().add(web::http::header_names::authorization, "Bearer " + token_);
  if (!user_agent_.empty()) request.headers().add(web::http::header_names::user_agent, user_agent_);
  return request;
}

TestClient::Response TestClient::request(const web::http::method& method, const std::string& path,
                                         const web::json::value& body,
                                         const std::string& content_type) {
  web::http::http_request request = make(method, path);
  if (!body.is_null()) request.set_body(body.serialize(), content_type);
  web::http::http_response response = client_.request(request).get();
  Response result;
  result.status = response.status_code();
  std::string text = response.extract_utf8string(true).get();
  result.body = text.empty() ? web::json::value::null() : web::json::value::parse(text);
  auto retry_after = response.headers().find("Retry-After");
  if (retry_after != response.headers().end()) result.retry_after = retry_after->second;
  return result;
}

TestClient::Response TestClient::get(const std::string& path) {
  return request(web::http::methods::GET, path, web::json::value::null(), "");
}

TestClient::Response TestClient::post(const std::string& path, const web::json::value& body) {
  return request(web::http::methods::POST, path, body, "application/json");
}

TestClient::Response TestClient::put(const std::string& path, const web::json::value& body) {
  return request(web::http::methods::PUT, path, body, "application/json");
}

TestClient::Response TestClient::patch(const std::string& path, const web::json::value& body,
                                       const std::string& content_type) {
  return request(web::http::methods::PATCH, path, body, content_type);
}

TestClient::Response TestClient::del(const std::string& path, const web::json::value& body) {
  return request(web::http::methods::DEL, path, body, "application/json");
}

std::unique_ptr<TestClient::Watch> TestClient::watch(const std::string& path_and_query) {
  return std::make_unique<Watch>(client_.request(make(web::http::methods::GET, path_and_query)).get());
}

web::json::value object(const std::string& api_version, const std::string& kind,
                        const std::string& name) {
  web::json::value result = web::json::value::object();
  result["apiVersion"] = web::json::value::string(api_version);
  result["kind"] = web::json::value::string(kind);
  result["metadata"]["name"] = web::json::value::string(name);
  return result;
}

web::json::value json(const std::string& text) { return web::json::value::parse(text); }

}  // namespace schemagate::testing
