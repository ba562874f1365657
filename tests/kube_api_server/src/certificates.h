#pragma once

#include <filesystem>
#include <string>

#include "schemagate/common/result.h"

namespace schemagate::testing::kube {

/// A throwaway PKI for one server: a self-signed CA and a server certificate
/// it signed, with SANs 127.0.0.1, localhost and `extra_ip` (when not empty).
struct ServerCredentials {
  std::string ca_certificate_pem;
  std::string server_certificate_pem;
  std::string server_key_pem;
  std::string token;  ///< random bearer token, 64 hex digits
};

Result<ServerCredentials> generate_credentials(const std::string& extra_ip);

/// The kubeconfig text for `server_url` that trusts the CA and sends the token.
std::string kubeconfig_text(const std::string& server_url, const ServerCredentials& credentials);

/// Writes `text` to `path` with owner-only permissions.
Status write_private_file(const std::filesystem::path& path, const std::string& text);

}  // namespace schemagate::testing::kube
