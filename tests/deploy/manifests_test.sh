#!/usr/bin/env bash
# deploy/ as a user installs it: kubectl apply -k deploy/ with the real
# kubectl against the real API server, then the objects read back: the
# operator's Deployment (flags, probes, security context), its ServiceAccount,
# the metrics Service, and RBAC rules that allow exactly the reconciler's calls
# (rbac_check.sh with rbac-samples/operator-requests.json). First, rendering
# only: a kustomize namespace overlay moves everything, the Lease included.
# The operator's pod is left out here (replicas 0 after the checks): the
# end-to-end test runs it.
# Usage: manifests_test.sh CLUSTER_DIR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$2
kubectl=$source_dir/.tools/bin/kubectl

work=$(mktemp -d /tmp/schemagate-deploy.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$kubectl" jq
deploy=$source_dir/deploy
quiet() { "$@" >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }; }

check "the kustomization holds the operator and its CRD, not the examples" equals \
  "$("$kubectl" kustomize "$deploy" | as_json "$kubectl" |
     jq -r '"\(.kind)/\(.metadata.name)"' | sort | tr '\n' ' ')" \
  "ClusterRole/schemagate-operator ClusterRoleBinding/schemagate-operator CustomResourceDefinition/migrationjobs.schemagate.io Deployment/schemagate-operator Namespace/schemagate-system Role/schemagate-operator-leader-election RoleBinding/schemagate-operator-leader-election Service/schemagate-operator-metrics ServiceAccount/schemagate-operator "

# An overlay as a user writes one: its own directory, deploy/ as a relative resource.
cp -r "$deploy" "$work/deploy"
mkdir "$work/overlay"
cat >"$work/overlay/kustomization.yaml" <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: other-ns
resources:
  - ../deploy
YAML
"$kubectl" kustomize "$work/overlay" | as_json "$kubectl" | jq -s . >"$work/overlay.json"
overlay_deployment() { jq -c ".[] | select(.kind == \"Deployment\") | $1" "$work/overlay.json"; }
check "a namespace overlay leaves no schemagate-system anywhere (the Lease's flag included)" equals \
  "$(jq '[.. | strings | select(contains("schemagate-system"))]' -c "$work/overlay.json")" '[]'
check "the overlaid operator has no --leader-election-namespace flag" equals \
  "$(overlay_deployment '.spec.template.spec.containers[0].args | index("--leader-election-namespace")')" null
check "and takes the Lease's namespace, POD_NAMESPACE, from the downward API" equals \
  "$(overlay_deployment '.metadata.namespace, (.spec.template.spec.containers[0].env[] | select(.name == "POD_NAMESPACE") | .valueFrom)')" \
  "$(printf '%s\n' '"other-ns"' '{"fieldRef":{"fieldPath":"metadata.namespace"}}')"
check "its leader election Role and RoleBinding follow it into other-ns" equals \
  "$(jq -r '.[] | select(.kind | test("^Role")) | "\(.kind)/\(.metadata.namespace) \(.subjects // [] | map("\(.namespace)/\(.name)") | join(","))"' "$work/overlay.json" | sort | tr '\n' ' ')" \
  "Role/other-ns  RoleBinding/other-ns other-ns/schemagate-operator "

use_cluster "$cluster"
"$kubectl" delete -k "$deploy" --ignore-not-found --wait >/dev/null
check "kubectl apply -k deploy/ installs it" quiet "$kubectl" apply -k "$deploy"
reapplied_unchanged() { "$kubectl" apply -k "$deploy" >"$work/again" && ! grep -v ' unchanged$' "$work/again"; }
check "applying again changes nothing" reapplied_unchanged
# Not to run here: this test reads the objects, the end-to-end test runs them.
quiet "$kubectl" scale deployment schemagate-operator --namespace schemagate-system --replicas 0
check "the CRD is served: MigrationJobs can be listed" quiet "$kubectl" get mj --all-namespaces

ns=(--namespace schemagate-system)
"$kubectl" get deployment schemagate-operator "${ns[@]}" -o json >"$work/deployment.json"
pod() { jq -c ".spec.template.spec$1" "$work/deployment.json"; }
check "one replica of the operator image, as deploy/ says" equals \
  "$(jq -r '"\(.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] | fromjson | .spec.replicas) \(.spec.template.spec.containers[0].image)"' "$work/deployment.json")" \
  "1 ghcr.io/schemagate/schemagate-operator:0.1.0"
check "the operator's flags: leader election, metrics, probes, JSON logs" equals \
  "$(pod '.containers[0].args')" \
  '["--leader-elect","--metrics-bind-address",":8080","--health-probe-bind-address",":8081","--log-format","json"]'
check "the Lease's namespace is the pod's, by the downward API" equals \
  "$(pod '.containers[0].env')" '[{"name":"POD_NAMESPACE","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}}]'
check "it runs as the schemagate-operator ServiceAccount, with its token mounted" equals \
  "$(pod '| [.serviceAccountName, .automountServiceAccountToken]')" '["schemagate-operator",true]'
check "the pod runs as uid 65532, non-root, under the runtime's seccomp profile" equals \
  "$(pod '.securityContext | [.runAsNonRoot, .runAsUser, .seccompProfile.type]')" '[true,65532,"RuntimeDefault"]'
check "the container cannot escalate, write its root or keep a capability" equals \
  "$(pod '.containers[0].securityContext | [.allowPrivilegeEscalation, .readOnlyRootFilesystem, .capabilities.drop]')" \
  '[false,true,["ALL"]]'
check "liveness on /healthz and readiness on /readyz, at port 8081" equals \
  "$(pod '.containers[0] | . as $c | [.livenessProbe, .readinessProbe] | map(.httpGet.port as $port | "\(.httpGet.path) \($c.ports[] | select(.name == $port) | .containerPort)")')" \
  '["/healthz 8081","/readyz 8081"]'
check "CPU and memory are requested and limited" equals \
  "$(pod '.containers[0].resources | [.requests.cpu, .requests.memory, .limits.cpu, .limits.memory] | map(. != null)')" \
  '[true,true,true,true]'
check "the ServiceAccount exists" quiet "$kubectl" get serviceaccount schemagate-operator "${ns[@]}"
"$kubectl" get service schemagate-operator-metrics "${ns[@]}" -o json >"$work/service.json"
check "the metrics Service serves port 8080 as metrics" equals \
  "$(jq -c '.spec.ports | map([.name, .port, .targetPort])' "$work/service.json")" '[["metrics",8080,"metrics"]]'
check "and selects the operator's pods" quiet jq -e --slurpfile deployment "$work/deployment.json" \
  '(.spec.selector | to_entries) - ($deployment[0].spec.template.metadata.labels | to_entries) == []' \
  "$work/service.json"

"$kubectl" get clusterrole,clusterrolebinding schemagate-operator -o json >"$work/rbac.json"
"$kubectl" get role,rolebinding schemagate-operator-leader-election "${ns[@]}" -o json >>"$work/rbac.json"
check "both bindings grant to the operator's ServiceAccount" equals \
  "$(jq -r '.items[] | select(.kind | endswith("Binding")) | .subjects[] | "\(.kind)/\(.namespace)/\(.name)"' "$work/rbac.json" | sort -u)" \
  "ServiceAccount/schemagate-system/schemagate-operator"
check "the rules read back allow exactly the reconciler's calls" quiet bash \
  "$source_dir/tests/deploy/rbac_check.sh" "$source_dir/tests/deploy/rbac-samples/operator-requests.json" "$work/rbac.json"

"$kubectl" delete -k "$deploy" --wait >/dev/null
finish
