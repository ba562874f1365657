#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "kube/client.h"
#include "schemagate/testing/kube_api_server.h"
#include "support/temp_dir.h"

namespace schemagate::testing {

/// The project's in-memory API server with the MigrationJob CRD installed,
/// and a client configured from the kubeconfig it wrote.
struct ApiServerFixture {
  ApiServerFixture();

  TempDir dir;
  std::unique_ptr<KubeApiServer> server;
  std::unique_ptr<kube::Client> client;
};

/// Fast retries, so fault-injection tests stay short.
kube::ClientOptions fast_client_options();

/// A MigrationJob named `name` in `ns` with the given spec.image.
kube::Json migration_job(const std::string& ns, const std::string& name,
                         const std::string& image = "registry.example/migrations:1");

/// A TCP port on 127.0.0.1 that nothing listens on right now.
int free_port();

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace schemagate::testing
