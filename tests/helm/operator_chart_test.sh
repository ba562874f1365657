#!/usr/bin/env bash
# The schemagate-operator chart, through the real helm and kubectl: lint with
# default and non-default values, the rendered objects (security contexts,
# flags, RBAC rules equal to deploy/rbac.yaml, Role or ClusterRole by
# watchNamespace, the ServiceMonitor only when asked), what values.schema.json
# refuses; then, on the real control plane, the default rendering accepted by
# the server, and the one-namespace rendering installed with helm: its
# operator pod becomes ready and turns a MigrationJob into a Job under
# nothing but the chart's RBAC, which the real authorizer enforces.
# Usage: operator_chart_test.sh CLUSTER_DIR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$2
helm=$source_dir/.tools/bin/helm
kubectl=$source_dir/.tools/bin/kubectl

work=$(mktemp -d /tmp/schemagate-operator-chart.XXXXXX)
cleanup() {
  "$helm" uninstall shop --namespace shop-ops --wait >/dev/null 2>&1 || true
  "$kubectl" delete namespace shop shop-ops --ignore-not-found --wait=false >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$helm" "$kubectl" jq
chart=$source_dir/helm/schemagate-operator
rbac_check=$source_dir/tests/deploy/rbac_check.sh
requests=$source_dir/tests/deploy/rbac-samples/operator-requests.json
quiet() { "$@" >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }; }
render() {  # render NAME [HELM-ARGS...]: the chart as release NAME, into $work/NAME.{yaml,json}
  local name=$1
  shift
  "$helm" template "$name" "$chart" "$@" >"$work/$name.yaml"
  as_json "$kubectl" <"$work/$name.yaml" | jq -s . >"$work/$name.json"
}
query() { jq -c "$2" "$work/$1.json"; }  # query NAME JQ: over the array of NAME's objects
deployment() { query "$1" ".[] | select(.kind == \"Deployment\") | $2"; }
refused() {  # refused PATTERN HELM-ARGS...: helm template fails and says PATTERN
  local pattern=$1
  shift
  if "$helm" template x "$chart" "$@" >"$work/refused" 2>&1 || ! grep -qF -- "$pattern" "$work/refused"; then
    sed 's/^/  /' "$work/refused"
    return 1
  fi
}

check "the chart's CRD is deploy/'s, byte for byte" \
  cmp "$chart/crds/schemagate.io_migrationjobs.yaml" "$source_dir/deploy/crds/schemagate.io_migrationjobs.yaml"
check "helm lint" quiet "$helm" lint "$chart"
check "helm lint --strict" quiet "$helm" lint --strict "$chart"
check "helm lint --strict, one namespace, two replicas, a ServiceMonitor" quiet "$helm" lint --strict "$chart" \
  --set watchNamespace=shop --set replicas=2 --set serviceMonitor.enabled=true
check "helm lint --strict without metrics" quiet "$helm" lint --strict "$chart" --set metrics.enabled=false

# The defaults, as deploy/ installs it: same release name and namespace.
render schemagate-operator --namespace schemagate-system
as_json "$kubectl" <"$source_dir/deploy/rbac.yaml" | jq -s . >"$work/deploy-rbac.json"
as_json "$kubectl" <"$source_dir/deploy/deployment.yaml" >"$work/deploy-deployment.json"
rules() { jq -c ".[] | select(.kind == \"$2\") | .rules" "$work/$1.json"; }
check "by default: every namespace watched, no ServiceMonitor" equals \
  "$(query schemagate-operator '[.[].kind] | sort')" \
  '["ClusterRole","ClusterRoleBinding","Deployment","Role","RoleBinding","Service","ServiceAccount"]'
check "the ClusterRole's rules are deploy/rbac.yaml's" equals \
  "$(rules schemagate-operator ClusterRole)" "$(rules deploy-rbac ClusterRole)"
check "the leader election Role's rules are deploy/rbac.yaml's" equals \
  "$(rules schemagate-operator Role)" "$(rules deploy-rbac Role)"
check "the rendered RBAC allows exactly the reconciler's calls" \
  quiet bash "$rbac_check" "$requests" "$work/schemagate-operator.json"
check "the pod's security context is deploy/'s" equals \
  "$(deployment schemagate-operator .spec.template.spec.securityContext)" \
  "$(jq -c .spec.template.spec.securityContext "$work/deploy-deployment.json")"
check "the container's security context is deploy/'s" equals \
  "$(deployment schemagate-operator .spec.template.spec.containers[0].securityContext)" \
  "$(jq -c .spec.template.spec.containers[0].securityContext "$work/deploy-deployment.json")"
check "the image is tagged with the chart's appVersion" equals \
  "$(deployment schemagate-operator .spec.template.spec.containers[0].image)" \
  "\"ghcr.io/schemagate/schemagate-operator:$(sed -n 's/^appVersion: "\(.*\)"$/\1/p' "$chart/Chart.yaml")\""
check "the flags: leader election always, metrics, probes, logs, workers" equals \
  "$(deployment schemagate-operator .spec.template.spec.containers[0].args)" \
  '["--leader-elect","--leader-election-id","schemagate-operator-leader","--metrics-bind-address",":8080","--health-probe-bind-address",":8081","--log-format","json","--log-level","info","--workers","2"]'
check "the Lease's namespace is the pod's, by the downward API, as in deploy/" equals \
  "$(deployment schemagate-operator .spec.template.spec.containers[0].env)" \
  "$(jq -c '.spec.template.spec.containers[0].env' "$work/deploy-deployment.json")"
check "liveness on /healthz and readiness on /readyz, at the health port" equals \
  "$(deployment schemagate-operator '.spec.template.spec.containers[0] | [.livenessProbe.httpGet, .readinessProbe.httpGet]')" \
  '[{"path":"/healthz","port":"health"},{"path":"/readyz","port":"health"}]'
check "it runs as its ServiceAccount, with the token mounted" equals \
  "$(deployment schemagate-operator '.spec.template.spec | [.serviceAccountName, .automountServiceAccountToken]')" \
  '["schemagate-operator",true]'

render shop --namespace shop-ops --set watchNamespace=shop --set replicas=2
check "one namespace watched: a Role and RoleBinding there, no cluster-wide grant" equals \
  "$(query shop '[.[] | select(.kind | test("Role")) | "\(.kind)/\(.metadata.namespace)/\(.metadata.name)"] | sort')" \
  '["Role/shop-ops/shop-schemagate-operator-leader-election","Role/shop/shop-schemagate-operator","RoleBinding/shop-ops/shop-schemagate-operator-leader-election","RoleBinding/shop/shop-schemagate-operator"]'
check "with deploy/rbac.yaml's rules" equals \
  "$(query shop '.[] | select(.kind == "Role" and .metadata.namespace == "shop") | .rules')" \
  "$(rules deploy-rbac ClusterRole)"
check "and the operator is told the namespace, with two replicas electing a leader" equals \
  "$(deployment shop '[.spec.replicas, (.spec.template.spec.containers[0].args | index("--leader-elect") != null, .[index("--namespace") + 1])]')" \
  '[2,true,"shop"]'
# The reference calls as that operator makes them: in shop, its Lease in shop-ops.
jq 'map(sub("/v1alpha1/migrationjobs"; "/v1alpha1/namespaces/shop/migrationjobs")
        | sub("/batch/v1/jobs"; "/batch/v1/namespaces/shop/jobs")
        | sub("/schemagate-system/"; "/shop-ops/"))' "$requests" >"$work/shop-requests.json"
check "the reconciler's calls in that namespace are allowed, and use every rule" \
  quiet bash "$rbac_check" "$work/shop-requests.json" "$work/shop.json"
not_across_namespaces() {
  ! bash "$rbac_check" "$requests" "$work/shop.json" >"$work/out" &&
    grep -qF 'not allowed: GET /apis/schemagate.io/v1alpha1/migrationjobs?limit=500' "$work/out"
}
check "but listing across namespaces is not" not_across_namespaces

render monitored --namespace ops --set serviceMonitor.enabled=true --set serviceMonitor.labels.release=prometheus
check "serviceMonitor.enabled renders one ServiceMonitor, labelled as asked" equals \
  "$(query monitored '[.[] | select(.kind == "ServiceMonitor") | [.apiVersion, .metadata.labels.release, .spec.endpoints[0].port]]')" \
  '[["monitoring.coreos.com/v1","prometheus","metrics"]]'
check "it selects the metrics Service" quiet jq -e \
  '(.[] | select(.kind == "ServiceMonitor") | .spec.selector.matchLabels | to_entries) - (.[] | select(.kind == "Service") | .metadata.labels | to_entries) == []' \
  "$work/monitored.json"

render quiet-operator --set metrics.enabled=false
check "metrics off: no Service, no metrics port, the listener disabled" equals \
  "$(query quiet-operator '[([.[].kind] | index("Service")), (.[] | select(.kind == "Deployment") | .spec.template.spec.containers[0] | [.ports[].name], (.args | .[index("--metrics-bind-address") + 1]))]')" \
  '[null,["health"],"0"]'

render custom --set image.tag=1.2.3 --set image.pullPolicy=Always --set 'imagePullSecrets[0].name=regcred' \
  --set nodeSelector.pool=system --set 'tolerations[0].key=dedicated' --set 'tolerations[0].operator=Exists' \
  --set logLevel=debug --set logFormat=text --set workers=4
check "image, pull secrets, scheduling and logging values reach the pod" equals \
  "$(deployment custom '.spec.template.spec | [.containers[0].image, .containers[0].imagePullPolicy, .imagePullSecrets[0].name, .nodeSelector.pool, .tolerations[0].key, (.containers[0].args | .[index("--log-level") + 1], .[index("--log-format") + 1], .[index("--workers") + 1])]')" \
  '["ghcr.io/schemagate/schemagate-operator:1.2.3","Always","regcred","system","dedicated","debug","text","4"]'

check "the schema refuses a replica count that is not a number" \
  refused "at '/replicas': got string, want integer" --set replicas=two
check "the schema refuses an unknown top-level key" \
  refused "additional properties 'replicaCount' not allowed" --set replicaCount=2
check "the schema refuses a log format outside text and json" \
  refused "at '/logFormat': value must be one of 'text', 'json'" --set logFormat=xml
check "the schema refuses a watchNamespace that is no namespace name" \
  refused "at '/watchNamespace'" --set watchNamespace=Shop_NS
check "a ServiceMonitor without metrics is refused, saying what to set" \
  refused "serviceMonitor.enabled needs metrics.enabled=true" --set serviceMonitor.enabled=true --set metrics.enabled=false
check "a metrics port on the probes' port is refused" \
  refused "metrics.port 8081 is the health probes' port" --set metrics.port=8081

# The renderings on the real API server.
use_cluster "$cluster"
"$helm" uninstall shop --namespace shop-ops --wait >/dev/null 2>&1 || true
fresh_namespace "$kubectl" shop
fresh_namespace "$kubectl" shop-ops
"$kubectl" create namespace schemagate-system --dry-run=client -o yaml | quiet "$kubectl" apply -f -
server_accepts() {  # the default rendering, CRD included, as the server would take it
  "$helm" template schemagate-operator "$chart" --include-crds --namespace schemagate-system |
    "$kubectl" apply --dry-run=server -f - >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }
}
check "the server accepts every object of the default rendering" server_accepts
check "helm install of the one-namespace rendering, waiting for the operator to be ready" \
  quiet "$helm" install shop "$chart" --namespace shop-ops --set watchNamespace=shop --wait --timeout 120s
check "the one-namespace Role reads back in the watched namespace" equals \
  "$("$kubectl" get role shop-schemagate-operator -n shop -o jsonpath='{.rules[0].resources[0]} {.rules[0].verbs}')" \
  'migrationjobs ["get","list","watch","update"]'
check "its operator pod runs as the chart's ServiceAccount, uid 65532" equals \
  "$("$kubectl" get pods -n shop-ops -l app.kubernetes.io/instance=shop -o jsonpath='{.items[0].spec.serviceAccountName} {.items[0].spec.securityContext.runAsUser} {.items[0].status.phase}')" \
  "shop-schemagate-operator 65532 Running"
"$kubectl" create secret generic db --namespace shop --from-literal url=postgresql://127.0.0.1:1/none >/dev/null
"$kubectl" apply --namespace shop -f - >/dev/null <<'YAML'
apiVersion: schemagate.io/v1alpha1
kind: MigrationJob
metadata: {name: chart-check}
spec:
  image: registry.example/shop-migrations:1.4.0
  database: {urlSecretRef: {name: db, key: url}}
YAML
job_made() {
  for _ in $(seq 1 300); do
    [[ -n $("$kubectl" get jobs -n shop -l app.kubernetes.io/managed-by=schemagate-operator -o name) ]] && return 0
    sleep 0.2
  done
  "$kubectl" get mj chart-check -n shop -o yaml | sed 's/^/  /'
  return 1
}
check "with only the chart's RBAC, a MigrationJob gets its Job" job_made
check "helm uninstall removes it" quiet "$helm" uninstall shop --namespace shop-ops --wait

finish
