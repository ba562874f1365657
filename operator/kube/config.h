#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::kube {

/// A kubeconfig user's `exec` section: a credential plugin (as cloud CLIs
/// install for EKS, GKE, AKS) that prints an ExecCredential.
struct ExecConfig {
  std::string api_version;  ///< client.authentication.k8s.io/v1 or v1beta1
  /// As written; a relative path with a slash is resolved against the
  /// kubeconfig's directory, a bare name is looked up in PATH.
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  ///< added to this process's
  std::string install_hint;        ///< shown when the command is missing
  bool provide_cluster_info = false;
  std::string interactive_mode;    ///< Never, IfAvailable or Always ("" is IfAvailable)
  std::string user;                ///< the kubeconfig user's name, for messages
  std::string origin;              ///< "kubeconfig F, context C, user U", for messages
};

/// Everything needed to talk to one API server, resolved from a kubeconfig
/// context or from the in-cluster service account. File references are read
/// when the config is loaded, except the token file, which TokenSource
/// re-reads as it rotates.
struct ClientConfig {
  std::string server;  ///< "https://host:port", no trailing slash
  std::string ca_pem;  ///< CA bundle to trust; empty: the system's
  bool insecure_skip_tls_verify = false;
  std::string token;       ///< static bearer token
  std::string token_file;  ///< when set, wins over `token` (as in client-go)
  std::string client_cert_pem;
  std::string client_key_pem;
  /// A credential plugin, when the user has no token or certificate of its own.
  std::optional<ExecConfig> exec;
  std::string default_namespace = "default";
  /// Where this came from, for messages: "kubeconfig F, context C" or
  /// "in-cluster service account".
  std::string origin;
};

/// One kubeconfig file's text and the path its relative references
/// (certificate-authority, tokenFile, ...) are resolved against.
struct KubeconfigSource {
  std::filesystem::path path;
  std::string text;
};

/// Resolves `context` (empty: the current context) from kubeconfig files
/// merged as kubectl merges $KUBECONFIG: the first file that names a
/// cluster, user or context, or sets current-context, wins. Pure apart from
/// reading the files the kubeconfig references.
Result<ClientConfig> parse_kubeconfig(const std::vector<KubeconfigSource>& sources,
                                      const std::string& context = "");

/// Reads the kubeconfig files `paths` (missing ones are skipped, as kubectl
/// does, unless none exists) and resolves `context`.
Result<ClientConfig> load_kubeconfig(const std::vector<std::filesystem::path>& paths,
                                     const std::string& context = "");

/// The standard mount point of a pod's service account credentials.
inline const std::filesystem::path kServiceAccountDir =
    "/var/run/secrets/kubernetes.io/serviceaccount";

/// The config of a process running in a pod: server from `host`/`port`
/// (KUBERNETES_SERVICE_HOST/PORT), token file, ca.crt and namespace from
/// `account_dir`.
Result<ClientConfig> in_cluster_config(const std::string& host, const std::string& port,
                                       const std::filesystem::path& account_dir =
                                           kServiceAccountDir);

/// What the operator uses: `--kubeconfig` when given, else $KUBECONFIG, else
/// the in-cluster service account when KUBERNETES_SERVICE_HOST is set, else
/// ~/.kube/config.
Result<ClientConfig> load_client_config(const std::string& kubeconfig_flag);

}  // namespace schemagate::kube
