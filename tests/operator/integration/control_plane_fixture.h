#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "kube/client.h"
#include "support/eventually.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace schemagate::testing {

/// The real control plane that tests/kube/cluster_up.sh started (its
/// directory in $SCHEMAGATE_TEST_KUBE_DIR), seen through a fault proxy of this
/// fixture's own: a fresh namespace for the test case (deleted at the end),
/// the MigrationJob CRD installed, and a client through the proxy.
class ControlPlaneFixture {
 public:
  ControlPlaneFixture();
  ~ControlPlaneFixture();
  ControlPlaneFixture(const ControlPlaneFixture&) = delete;
  ControlPlaneFixture& operator=(const ControlPlaneFixture&) = delete;

  /// The next `count` API requests through the proxy are answered `status`,
  /// with Retry-After when `retry_after_seconds` > 0.
  void fail_next(int count, int status, int retry_after_seconds = 0);
  /// Ends every watch open through the proxy; returns how many there were.
  int close_all_watches();
  /// Ends every watch with an ERROR event 410 Expired, as the API server
  /// does once etcd has compacted the watch's resourceVersion away.
  int expire_watches();
  int open_watch_count();
  /// How many requests the proxy has failed so far.
  int injected_count();

  /// Writes a kubeconfig for `server` whose user is the YAML flow mapping
  /// `user` (e.g. "{token: x}"), trusting the cluster CA, namespace ns.
  std::filesystem::path write_kubeconfig(const std::string& file, const std::string& server,
                                         const std::string& user) const;
  std::filesystem::path admin_cert() const { return pki_ / "admin.crt"; }
  std::filesystem::path admin_key() const { return pki_ / "admin.key"; }

  TempDir dir;
  std::string ns;          ///< this test case's namespace
  std::string api_server;  ///< https://127.0.0.1:PORT, the API server itself
  std::string proxy;       ///< https://127.0.0.1:PORT, the fault proxy
  /// Cluster admin through the proxy, in namespace ns.
  std::filesystem::path kubeconfig;
  /// Through the proxy: meets the injected faults.
  std::unique_ptr<kube::Client> client;
  /// Straight to the API server: setup and teardown, never faulted.
  std::unique_ptr<kube::Client> direct;

 private:
  std::string control(const std::string& method, const std::string& path_and_query);

  std::filesystem::path pki_;
  std::unique_ptr<Process> proxy_process_;
};

/// Fast retries, so fault-injection tests stay short.
kube::ClientOptions fast_client_options();

/// A MigrationJob named `name` in `ns` with the given spec.image, reading
/// the database URL from Secret db.
kube::Json migration_job(const std::string& ns, const std::string& name,
                         const std::string& image = "registry.example/shop-migrations:1.4.0");

}  // namespace schemagate::testing
