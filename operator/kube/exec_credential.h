#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "kube/config.h"
#include "schemagate/common/result.h"

namespace schemagate::kube {

/// What a credential plugin printed: a bearer token and/or a client
/// certificate and key, valid until `expiration` (forever when unset).
struct ExecCredential {
  std::string token;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::optional<std::chrono::system_clock::time_point> expiration;
};

/// Parses a plugin's standard output. Anything but an ExecCredential of the
/// configured apiVersion with a token or a certificate and key is an error
/// that names the kubeconfig user, the plugin and what it printed instead.
Result<ExecCredential> parse_exec_credential(const std::string& output, const ExecConfig& exec);

/// The value of KUBERNETES_EXEC_INFO for the plugin: an ExecCredential with
/// spec.interactive false and, when the user asks for it
/// (provideClusterInfo), spec.cluster: server, CA and TLS settings.
std::string exec_info(const ExecConfig& exec, const ClientConfig& cluster);

}  // namespace schemagate::kube
