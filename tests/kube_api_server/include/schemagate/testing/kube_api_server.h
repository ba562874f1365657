#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <cpprest/json.h>

#include "schemagate/common/result.h"

namespace schemagate::testing {

/// An in-memory Kubernetes API server for tests, over HTTPS with a bearer
/// token, following the real server's semantics (resourceVersion, watch
/// streams with bookmarks, 409, 410, status subresource, generation,
/// finalizers, ownerReference garbage collection, CRDs) closely enough that
/// kubectl works against it. Faults can be injected from the test or, through
/// `POST /_test/faults`, from another process.
class KubeApiServer {
 public:
  struct Options {
    std::string bind_host = "127.0.0.1";
    int port = 0;  ///< 0: pick a free port
    /// Receives kubeconfig, ca.crt, token, server.crt and server.key. Required.
    std::filesystem::path state_dir;
    size_t history_limit = 1000;  ///< changes kept for watches to resume from
    std::chrono::milliseconds bookmark_interval{1000};
  };

  /// Generates a CA, a server certificate (SAN 127.0.0.1, localhost) and a
  /// token, writes them and `kubeconfig` (current context pointing here, with
  /// namespace default) into state_dir, and starts listening.
  static Result<std::unique_ptr<KubeApiServer>> start(Options options);
  ~KubeApiServer();
  KubeApiServer(const KubeApiServer&) = delete;
  KubeApiServer& operator=(const KubeApiServer&) = delete;

  std::string url() const;  ///< "https://127.0.0.1:PORT"
  std::filesystem::path kubeconfig() const;
  std::filesystem::path ca_certificate() const;
  std::string token() const;
  /// Closes every watch stream and stops listening. Idempotent.
  void stop();

  // Fault injection.
  /// Ends every open watch stream, as a server restart or a proxy timeout would.
  void close_all_watches();
  /// The next `count` API requests answer `status` (500 InternalError or 429
  /// TooManyRequests with Retry-After: retry_after_seconds) without effect.
  void fail_next(int count, int status, int retry_after_seconds = 1);
  /// Delays every API request by `latency` before it is handled.
  void set_latency(std::chrono::milliseconds latency);
  /// Forgets the watch history: watching from any resourceVersion older than
  /// the current one yields an ERROR event with a 410 Expired Status.
  void compact();

  // Inspection and control for tests.
  /// "METHOD /path?query" of every API request so far (not /_test ones), in
  /// order; only those whose User-Agent header starts with `user_agent_prefix`
  /// (all, when it is empty), to tell one client's calls from another's.
  std::vector<std::string> request_log(const std::string& user_agent_prefix = "") const;
  size_t open_watch_count() const;
  /// Replaces a Job's status as the Job controller would, through the status
  /// subresource (resourceVersion bumps, generation does not, watches see MODIFIED).
  Status set_job_status(const std::string& ns, const std::string& name,
                        const web::json::value& status);

 private:
  class Impl;
  explicit KubeApiServer(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace schemagate::testing
