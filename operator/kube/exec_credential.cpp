#include "kube/exec_credential.h"

#include <cpprest/asyncrt_utils.h>
#include <cpprest/json.h>

#include "kube/json_path.h"
#include "kube/time_format.h"

namespace schemagate::kube {
namespace {

using web::json::value;

// What the plugin printed, shortened for a message.
std::string excerpt(const std::string& output) {
  std::string text = output.size() > 200 ? output.substr(0, 200) + "..." : output;
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text.empty() ? "nothing" : "\"" + text + "\"";
}

}  // namespace

Result<ExecCredential> parse_exec_credential(const std::string& output, const ExecConfig& exec) {
  const std::string plugin = exec.origin + ": exec plugin " + exec.command;
  auto refuse = [&](const std::string& why) {
    return Error(ErrorCode::kInvalid, plugin + " " + why +
                                          "; run it by hand to see what it prints, and check "
                                          "that the exec section's apiVersion is the one it "
                                          "speaks");
  };
  std::error_code parse_error;
  value json = value::parse(output, parse_error);
  if (parse_error || !json.is_object()) {
    return refuse("printed " + excerpt(output) + ", which is not an ExecCredential (JSON)");
  }
  std::string kind = string_at(json, {"kind"});
  std::string api_version = string_at(json, {"apiVersion"});
  if (kind != "ExecCredential") {
    return refuse("printed a JSON object of kind \"" + kind + "\", not an ExecCredential");
  }
  if (api_version != exec.api_version) {
    return refuse("answered in apiVersion \"" + api_version + "\" where the kubeconfig asks for " +
                  exec.api_version);
  }
  const Json* status = find_path(json, {"status"});
  if (!status || !status->is_object()) return refuse("printed an ExecCredential without status");
  ExecCredential credential;
  credential.token = string_at(*status, {"token"});
  credential.client_cert_pem = string_at(*status, {"clientCertificateData"});
  credential.client_key_pem = string_at(*status, {"clientKeyData"});
  if (credential.client_cert_pem.empty() != credential.client_key_pem.empty()) {
    return refuse("printed only one of status.clientCertificateData and status.clientKeyData");
  }
  if (credential.token.empty() && credential.client_cert_pem.empty()) {
    return refuse("printed an ExecCredential with neither status.token nor a client "
                  "certificate");
  }
  std::string expiration = string_at(*status, {"expirationTimestamp"});
  if (!expiration.empty()) {
    credential.expiration = parse_time(expiration);
    if (!credential.expiration) {
      return refuse("printed status.expirationTimestamp \"" + expiration +
                    "\", which is not an RFC 3339 time");
    }
  }
  return credential;
}

std::string exec_info(const ExecConfig& exec, const ClientConfig& cluster) {
  value info = value::object();
  info["apiVersion"] = value::string(exec.api_version);
  info["kind"] = value::string("ExecCredential");
  info["spec"]["interactive"] = value::boolean(false);
  if (exec.provide_cluster_info) {
    value& spec = info["spec"]["cluster"];
    spec["server"] = value::string(cluster.server);
    if (!cluster.ca_pem.empty()) {
      spec["certificate-authority-data"] = value::string(utility::conversions::to_base64(
          std::vector<unsigned char>(cluster.ca_pem.begin(), cluster.ca_pem.end())));
    }
    if (cluster.insecure_skip_tls_verify) {
      spec["insecure-skip-tls-verify"] = value::boolean(true);
    }
  }
  return info.serialize();
}

}  // namespace schemagate::kube
