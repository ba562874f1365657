#include "kube/config.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <cpprest/asyncrt_utils.h>
#include <yaml-cpp/yaml.h>

namespace schemagate::kube {
namespace {

namespace fs = std::filesystem;

Error invalid(const std::string& message) { return Error(ErrorCode::kInvalid, message); }

Result<std::string> read_file(const fs::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("cannot read " + what + " " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A named entry of a kubeconfig list (a cluster, user or context) with the
// directory its relative paths are resolved against.
struct Entry {
  YAML::Node node;
  fs::path base_dir;
  fs::path file;
};

fs::path resolve(const Entry& entry, const std::string& path) {
  fs::path value(path);
  return value.is_absolute() ? value : entry.base_dir / value;
}

std::string text_field(const YAML::Node& node, const char* key) {
  if (!node || !node.IsMap()) return "";
  YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

Result<std::string> decode_base64(const std::string& data, const std::string& what) {
  try {
    std::vector<unsigned char> bytes = utility::conversions::from_base64(data);
    return std::string(bytes.begin(), bytes.end());
  } catch (const std::exception&) {
    return invalid(what + " is not valid base64");
  }
}

// The PEM of `data_key` (base64) or else of the file named by `file_key`.
Result<std::string> pem(const Entry& entry, const char* data_key, const char* file_key,
                        const std::string& where) {
  std::string data = text_field(entry.node, data_key);
  if (!data.empty()) return decode_base64(data, where + " " + data_key);
  std::string file = text_field(entry.node, file_key);
  if (file.empty()) return std::string();
  return read_file(resolve(entry, file), where + " " + file_key);
}

Result<ExecConfig> exec_config(const Entry& user, const std::string& where,
                               const std::string& user_name) {
  YAML::Node exec = user.node["exec"];
  std::string at = where + ", exec";
  if (!exec.IsMap()) return invalid(at + ": must be a mapping");
  ExecConfig config;
  config.user = user_name;
  config.origin = where;
  config.api_version = text_field(exec, "apiVersion");
  if (config.api_version != "client.authentication.k8s.io/v1" &&
      config.api_version != "client.authentication.k8s.io/v1beta1") {
    return invalid(at + ": apiVersion \"" + config.api_version +
                   "\" is not supported; use client.authentication.k8s.io/v1 or v1beta1 (the "
                   "plugin's documentation says which it speaks)");
  }
  config.command = text_field(exec, "command");
  if (config.command.empty()) return invalid(at + ": command is not set");
  if (config.command.find('/') != std::string::npos) {
    config.command = resolve(user, config.command).string();
  }
  if (YAML::Node args = exec["args"]; args && !args.IsNull()) {
    if (!args.IsSequence()) return invalid(at + ": args must be a list of strings");
    for (const auto& arg : args) {
      if (!arg.IsScalar()) return invalid(at + ": args must be a list of strings");
      config.args.push_back(arg.as<std::string>());
    }
  }
  if (YAML::Node env = exec["env"]; env && !env.IsNull()) {
    if (!env.IsSequence()) return invalid(at + ": env must be a list of {name, value}");
    for (const auto& item : env) {
      std::string name = text_field(item, "name");
      if (name.empty()) return invalid(at + ": an env entry has no name");
      config.env.emplace_back(name, text_field(item, "value"));
    }
  }
  config.install_hint = text_field(exec, "installHint");
  config.provide_cluster_info = text_field(exec, "provideClusterInfo") == "true";
  config.interactive_mode = text_field(exec, "interactiveMode");
  if (!config.interactive_mode.empty() && config.interactive_mode != "Never" &&
      config.interactive_mode != "IfAvailable" && config.interactive_mode != "Always") {
    return invalid(at + ": interactiveMode \"" + config.interactive_mode +
                   "\" is not one of Never, IfAvailable, Always");
  }
  if (config.interactive_mode == "Always") {
    return invalid(at + ": interactiveMode is Always, but the operator has no terminal to "
                        "give the plugin; log in with the plugin first so it can run "
                        "unattended, or set interactiveMode: IfAvailable");
  }
  return config;
}

Result<ClientConfig> resolve_context(const std::map<std::string, Entry>& clusters,
                                     const std::map<std::string, Entry>& users,
                                     const std::map<std::string, Entry>& contexts,
                                     const std::string& context_name, const std::string& files) {
  auto context = contexts.find(context_name);
  if (context == contexts.end()) {
    std::string known;
    for (const auto& [name, entry] : contexts) known += (known.empty() ? "" : ", ") + name;
    return invalid("kubeconfig " + files + ": context \"" + context_name +
                   "\" does not exist (known contexts: " + (known.empty() ? "none" : known) + ")");
  }
  YAML::Node spec = context->second.node["context"];
  std::string cluster_name = spec ? text_field(spec, "cluster") : "";
  std::string user_name = spec ? text_field(spec, "user") : "";
  std::string where_context = "kubeconfig " + files + ", context " + context_name;
  auto cluster = clusters.find(cluster_name);
  if (cluster == clusters.end()) {
    return invalid(where_context + ": cluster \"" + cluster_name + "\" is not defined");
  }

  ClientConfig config;
  config.origin = where_context;
  std::string ns = text_field(spec, "namespace");
  if (!ns.empty()) config.default_namespace = ns;

  Entry cluster_spec{cluster->second.node["cluster"], cluster->second.base_dir,
                     cluster->second.file};
  if (!cluster_spec.node) return invalid(where_context + ": cluster \"" + cluster_name +
                                         "\" has no cluster section");
  std::string where_cluster = where_context + ", cluster " + cluster_name;
  config.server = text_field(cluster_spec.node, "server");
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  if (config.server.empty()) return invalid(where_cluster + ": server is not set");
  if (config.server.rfind("http://", 0) != 0 && config.server.rfind("https://", 0) != 0) {
    return invalid(where_cluster + ": server \"" + config.server +
                   "\" must start with https:// or http://");
  }
  config.insecure_skip_tls_verify = text_field(cluster_spec.node, "insecure-skip-tls-verify") ==
                                    "true";
  auto ca = pem(cluster_spec, "certificate-authority-data", "certificate-authority",
                where_cluster);
  if (!ca) return ca.error();
  config.ca_pem = std::move(*ca);

  if (user_name.empty()) return config;  // anonymous access
  auto user = users.find(user_name);
  if (user == users.end()) {
    return invalid(where_context + ": user \"" + user_name + "\" is not defined");
  }
  Entry user_spec{user->second.node["user"], user->second.base_dir, user->second.file};
  if (!user_spec.node) return config;
  std::string where_user = where_context + ", user " + user_name;
  config.token = text_field(user_spec.node, "token");
  std::string token_file = text_field(user_spec.node, "tokenFile");
  if (!token_file.empty()) config.token_file = resolve(user_spec, token_file).string();
  auto cert = pem(user_spec, "client-certificate-data", "client-certificate", where_user);
  if (!cert) return cert.error();
  auto key = pem(user_spec, "client-key-data", "client-key", where_user);
  if (!key) return key.error();
  if (cert->empty() != key->empty()) {
    return invalid(where_user + ": a client certificate needs both client-certificate(-data) "
                                "and client-key(-data)");
  }
  config.client_cert_pem = std::move(*cert);
  config.client_key_pem = std::move(*key);
  bool has_static = !config.token.empty() || !config.token_file.empty() ||
                    !config.client_cert_pem.empty();
  if (user_spec.node["exec"] && !has_static) {
    auto exec = exec_config(user_spec, where_user, user_name);
    if (!exec) return exec.error();
    config.exec = std::move(*exec);
  } else if (user_spec.node["auth-provider"] && !has_static) {
    return invalid(where_user + ": auth-provider credentials are not supported (kubectl dropped "
                                "them too); use the provider's exec plugin, a token, tokenFile "
                                "or client certificate");
  }
  return config;
}

}  // namespace

Result<ClientConfig> parse_kubeconfig(const std::vector<KubeconfigSource>& sources,
                                      const std::string& context) {
  std::map<std::string, Entry> clusters;
  std::map<std::string, Entry> users;
  std::map<std::string, Entry> contexts;
  std::string current;
  std::string files;
  for (const auto& source : sources) {
    files += (files.empty() ? "" : ":") + source.path.string();
    YAML::Node root;
    try {
      root = YAML::Load(source.text);
    } catch (const YAML::Exception& e) {
      return invalid("kubeconfig " + source.path.string() + ": line " +
                     std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (!root || root.IsNull()) continue;
    if (!root.IsMap()) return invalid("kubeconfig " + source.path.string() + ": not a mapping");
    fs::path base_dir = source.path.parent_path();
    auto collect = [&](const char* key, std::map<std::string, Entry>& into) -> Status {
      YAML::Node list = root[key];
      if (!list || list.IsNull()) return {};
      if (!list.IsSequence()) {
        return invalid("kubeconfig " + source.path.string() + ": " + key + " must be a list");
      }
      for (const auto& item : list) {
        std::string name = text_field(item, "name");
        if (name.empty()) {
          return invalid("kubeconfig " + source.path.string() + ": an entry of " + key +
                         " has no name");
        }
        into.emplace(name, Entry{item, base_dir, source.path});  // first file wins
      }
      return {};
    };
    for (auto [key, into] : {std::pair{"clusters", &clusters}, std::pair{"users", &users},
                             std::pair{"contexts", &contexts}}) {
      if (Status collected = collect(key, *into); !collected) return collected.error();
    }
    if (current.empty()) current = text_field(root, "current-context");
  }
  if (files.empty()) return invalid("no kubeconfig file given");
  std::string name = context.empty() ? current : context;
  if (name.empty()) {
    return invalid("kubeconfig " + files +
                   ": no current context is set; run `kubectl config use-context NAME` or "
                   "set current-context in the file");
  }
  try {
    return resolve_context(clusters, users, contexts, name, files);
  } catch (const YAML::Exception& e) {
    return invalid("kubeconfig " + files + ": context " + name + " is malformed: " + e.msg);
  }
}

Result<ClientConfig> load_kubeconfig(const std::vector<fs::path>& paths,
                                     const std::string& context) {
  std::vector<KubeconfigSource> sources;
  for (const auto& path : paths) {
    std::error_code error;
    if (!fs::exists(path, error)) continue;
    auto text = read_file(path, "kubeconfig");
    if (!text) return text.error();
    sources.push_back({fs::absolute(path), std::move(*text)});
  }
  if (sources.empty()) {
    std::string names;
    for (const auto& path : paths) names += (names.empty() ? "" : ", ") + path.string();
    return invalid("kubeconfig not found: " + names);
  }
  return parse_kubeconfig(sources, context);
}

Result<ClientConfig> in_cluster_config(const std::string& host, const std::string& port,
                                       const fs::path& account_dir) {
  if (host.empty() || port.empty()) {
    return invalid("not running in a cluster: KUBERNETES_SERVICE_HOST and "
                   "KUBERNETES_SERVICE_PORT must both be set");
  }
  fs::path token = account_dir / "token";
  std::error_code error;
  if (!fs::exists(token, error)) {
    return invalid("in-cluster config: no service account token at " + token.string() +
                   " (is automountServiceAccountToken disabled?)");
  }
  ClientConfig config;
  config.origin = "in-cluster service account (" + account_dir.string() + ")";
  // An IPv6 service address needs brackets in a URL.
  bool ipv6 = host.find(':') != std::string::npos;
  config.server = "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + port;
  config.token_file = token.string();
  auto ca = read_file(account_dir / "ca.crt", "in-cluster CA");
  if (!ca) return ca.error();
  config.ca_pem = std::move(*ca);
  if (auto ns = read_file(account_dir / "namespace", "namespace file")) {
    std::string value = *ns;
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
      value.pop_back();
    }
    if (!value.empty()) config.default_namespace = value;
  }
  return config;
}

Result<ClientConfig> load_client_config(const std::string& kubeconfig_flag) {
  if (!kubeconfig_flag.empty()) return load_kubeconfig({kubeconfig_flag});
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    std::vector<fs::path> paths;
    std::stringstream list(env);
    for (std::string item; std::getline(list, item, ':');) {
      if (!item.empty()) paths.emplace_back(item);
    }
    return load_kubeconfig(paths);
  }
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host && *host) return in_cluster_config(host, port ? port : "");
  const char* home = std::getenv("HOME");
  if (home && *home) {
    fs::path path = fs::path(home) / ".kube" / "config";
    std::error_code error;
    if (fs::exists(path, error)) return load_kubeconfig({path});
  }
  return invalid("no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, run in a pod, "
                 "or create ~/.kube/config");
}

}  // namespace schemagate::kube
