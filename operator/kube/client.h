#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "kube/api_result.h"
#include "kube/config.h"
#include "kube/exec_credential_source.h"
#include "kube/object_client.h"
#include "kube/object.h"
#include "kube/request_metrics.h"
#include "kube/resource.h"
#include "kube/retry.h"
#include "kube/token_source.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/result.h"
#include "schemagate/common/stop_signal.h"

namespace web::http::client {
class http_client;
}

namespace schemagate::kube {

struct ClientOptions {
  /// For requests answered 429/5xx or not answered. Reads are retried on all
  /// of these; writes only when the server asked for a retry (429, or
  /// Retry-After), because an unanswered write may have been applied.
  RetryPolicy retry;
  std::chrono::seconds request_timeout{30};
  /// A watch with no bytes for this long is considered broken.
  std::chrono::seconds watch_idle_timeout{330};
  Clock* clock = &Clock::real();
  RequestMetrics* metrics = nullptr;
};

/// Typed REST access to any resource of one API server, over cpprestsdk.
/// Thread-safe. Every HTTP error answer is an ApiError of a known kind.
/// Each verb builds its request (path, query, body) here and nowhere else.
class Client final : public ObjectClient {
 public:
  /// Checks the TLS material of `config` (CA, client certificate and key).
  static Result<std::unique_ptr<Client>> create(ClientConfig config, ClientOptions options = {});
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientConfig& config() const { return config_; }

  ApiResult<Json> get(const ResourceRef& ref, const std::string& ns,
                      const std::string& name) override;
  ApiResult<ObjectList> list(const ResourceRef& ref, const std::string& ns,
                             const ListOptions& options) override;
  ApiResult<ObjectList> list(const ResourceRef& ref, const std::string& ns) {
    return list(ref, ns, ListOptions{});
  }
  /// Every page, concatenated; the resourceVersion is the last page's.
  ApiResult<ObjectList> list_all(const ResourceRef& ref, const std::string& ns,
                                 ListOptions options = {});
  ApiResult<Json> create(const ResourceRef& ref, const std::string& ns,
                         const Json& object) override;
  ApiResult<Json> update(const ResourceRef& ref, const Json& object) override;
  ApiResult<Json> merge_patch(const ResourceRef& ref, const std::string& ns,
                              const std::string& name, const Json& patch) override;
  ApiResult<Json> update_status(const ResourceRef& ref, const Json& object) override;
  ApiResult<Json> merge_patch_status(const ResourceRef& ref, const std::string& ns,
                                     const std::string& name, const Json& patch);
  ApiStatus remove(const ResourceRef& ref, const std::string& ns,
                   const std::string& name) override;

  /// Opens a watch and calls `on_event` for each event as it arrives (it
  /// returns false to close the stream), until
  /// the server ends the stream (ok), the stream breaks (kTransport), the
  /// server refuses (e.g. kGone for a compacted resourceVersion) or `stop` is
  /// requested (ok). Not retried: the informer decides how to resume.
  ApiStatus watch(const ResourceRef& ref, const std::string& ns, const WatchOptions& options,
                  const std::function<bool(const WatchEvent&)>& on_event, StopSignal& stop);

 private:
  Client(ClientConfig config, ClientOptions options);

  enum class Verb { kGet, kPost, kPut, kPatch, kDelete };
  ApiResult<Json> send(Verb verb, const std::string& path_and_query, const Json* body);
  ApiResult<Json> send_retried(Verb verb, const std::string& path_and_query, const Json* body);
  ApiResult<Json> send_once(Verb verb, const std::string& path_and_query, const Json* body);

  /// How to authenticate one request: the bearer token and the HTTP client
  /// (whose TLS context carries the client certificate, when there is one).
  struct Auth {
    std::string token;
    std::shared_ptr<web::http::client::http_client> http;
    std::string cert_pem;  ///< the client certificate http presents, for watches
    std::string key_pem;
    uint64_t exec_generation = 0;
  };
  ApiResult<Auth> auth();
  /// After a 401: the token file is read again, the exec plugin run again.
  void refused(const Auth& used);

  void count(const std::string& method, int code);

  ClientConfig config_;
  ClientOptions options_;
  std::string host_;  ///< "host:port" of the server, for metrics
  TokenSource token_;
  std::unique_ptr<ExecCredentialSource> exec_;
  std::mutex http_mutex_;  ///< guards http_ and http_cert_, which change only with exec_
  std::shared_ptr<web::http::client::http_client> http_;
  std::string http_cert_;  ///< the exec client certificate http_ was made with
  StopSignal never_;  ///< requests are short: their retries are not interrupted
};

}  // namespace schemagate::kube
