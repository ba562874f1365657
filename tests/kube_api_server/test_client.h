#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <cpprest/http_client.h>
#include <cpprest/json.h>

#include "schemagate/testing/kube_api_server.h"

namespace schemagate::testing {

/// A minimal Kubernetes client for the server's tests: HTTPS that trusts the
/// server's CA, the bearer token, JSON in and out.
class TestClient {
 public:
  struct Response {
    int status = 0;
    web::json::value body;
    std::string retry_after;  ///< the Retry-After header, "" when absent
  };

  /// Reads a watch stream on a thread so tests can wait for events with a timeout.
  class Watch {
   public:
    explicit Watch(web::http::http_response response);
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    int status() const { return status_; }
    /// The next event, or nothing when none arrives in time or the stream ended.
    std::optional<web::json::value> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    /// Waits until the server ends the stream; true when it did within `timeout`.
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5));

   private:
    /// Shared with the reader thread, which outlives the Watch when the
    /// server keeps the stream open.
    struct State {
      std::mutex mutex;
      std::condition_variable changed;
      std::deque<web::json::value> events;
      bool closed = false;
    };

    int status_;
    std::shared_ptr<State> state_ = std::make_shared<State>();
  };

  explicit TestClient(const KubeApiServer& server);
  /// A client that sends `token` instead of the server's.
  TestClient(const KubeApiServer& server, std::string token);

  Response get(const std::string& path);
  Response post(const std::string& path, const web::json::value& body);
  Response put(const std::string& path, const web::json::value& body);
  Response patch(const std::string& path, const web::json::value& body,
                 const std::string& content_type = "application/merge-patch+json");
  Response del(const std::string& path, const web::json::value& body = web::json::value::null());
  Response request(const web::http::method& method, const std::string& path,
                   const web::json::value& body, const std::string& content_type);
  std::unique_ptr<Watch> watch(const std::string& path_and_query);
  /// Sends `User-Agent: user_agent` from now on, as a named client would.
  void set_user_agent(std::string user_agent) { user_agent_ = std::move(user_agent); }

 private:
  web::http::http_request make(const web::http::method& method, const std::string& path) const;

  std::string token_;
  std::string user_agent_;  ///< "" leaves cpprest's own
  web::http::client::http_client client_;
};

/// `{"apiVersion": ..., "kind": ..., "metadata": {"name": ...}}` plus the given fields.
web::json::value object(const std::string& api_version, const std::string& kind,
                        const std::string& name);

/// Parses JSON text (tests write objects as raw strings).
web::json::value json(const std::string& text);

}  // namespace schemagate::testing
