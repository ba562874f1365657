#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "schemagate/common/result.h"

namespace schemagate::app {

/// The command line of schemagate-operator. Flag names follow
/// controller-runtime's manager flags, so they read as in any operator.
struct OperatorOptions {
  std::string kubeconfig;
  std::string watch_namespace;  ///< empty: all namespaces
  bool leader_elect = false;
  /// The Lease's namespace: the flag, else $POD_NAMESPACE (the downward API in
  /// deploy/ and the chart, so that a kustomize namespace overlay moves the
  /// Lease with the pod), else empty: the client config's namespace (in a pod,
  /// the service account's namespace file; from a kubeconfig, its context's).
  std::string leader_election_namespace;
  std::string leader_election_id = "schemagate-operator-leader";
  std::chrono::nanoseconds lease_duration = std::chrono::seconds(15);
  std::chrono::nanoseconds renew_deadline = std::chrono::seconds(10);
  std::chrono::nanoseconds retry_period = std::chrono::seconds(2);
  std::string metrics_bind_address = ":8080";
  std::string health_probe_bind_address = ":8081";
  /// Each reconcile waits on a few API round trips (GET, POST, PUT): with
  /// more of them in flight the API server, not the wait, sets the pace.
  int workers = 8;
  std::string log_format = "text";
  std::string log_level = "info";
  bool help = false;
  bool version = false;
  std::string usage;  ///< filled when `help` is set
  /// `schemagate-operator completion bash|zsh`: the script to print.
  std::string completion_script;
};

/// Parses the arguments after the program name. Errors say which flag is
/// wrong and why. `pod_namespace` is $POD_NAMESPACE (empty when unset), passed
/// in rather than read here so that the parse stays a pure function.
Result<OperatorOptions> parse_options(const std::vector<std::string>& args,
                                      const std::string& pod_namespace = {});

/// Parses a Go-style duration as Kubernetes flags take them: "15s", "500ms",
/// "1m30s", "2h".
Result<std::chrono::nanoseconds> parse_duration(const std::string& text);

}  // namespace schemagate::app
