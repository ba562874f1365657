#!/usr/bin/env bash
# The schemagate-operator chart, through the real helm and kubectl: lint with
# default and non-default values, the rendered objects (security contexts,
# flags, RBAC rules equal to deploy/rbac.yaml, Role or ClusterRole by
# watchNamespace, the CRDs of deploy/crds, the pod's optional values, the
# ServiceAccount, PodDisruptionBudget, NetworkPolicy, ServiceMonitor and
# PrometheusRule only when asked), what values.schema.json and the templates
# refuse; then, on the real control plane, the renderings accepted by the
# server, and the one-namespace rendering installed with helm: its operator
# pod becomes ready and turns a MigrationJob into a Job under nothing but the
# chart's RBAC, which the real authorizer enforces, and every metric name the
# PrometheusRule's alerts read is one that operator's /metrics serves or
# registers (or one the observability work adds, listed below). The CRD's life through install,
# upgrade and uninstall: operator_chart_crds_test.sh.
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
require_tools "$helm" "$kubectl" jq curl
# shellcheck source=scripts/free_port.sh
source "$source_dir/scripts/free_port.sh"
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

check "the chart's CRDs are deploy/crds itself, through a link, not a copy that could drift" equals \
  "$(readlink -f "$chart/files/crds")" "$(readlink -f "$source_dir/deploy/crds")"
check "and it holds no crds/ directory, which Helm would install but never upgrade" test ! -e "$chart/crds"
packaged_crds() {  # the packaged chart carries the CRDs themselves and renders them
  "$helm" package "$chart" -d "$work/package" >"$work/out" 2>&1 &&
    tar -xzmf "$work"/package/schemagate-operator-*.tgz -C "$work/package" &&
    test ! -L "$work/package/schemagate-operator/files/crds" &&
    diff -r "$work/package/schemagate-operator/files/crds" "$source_dir/deploy/crds" &&
    "$helm" template x "$work"/package/schemagate-operator-*.tgz 2>/dev/null | grep -q '^kind: CustomResourceDefinition$'
}
check "helm package stores deploy/crds' files in the chart, which renders them" packaged_crds
# A checkout without symlinks has the link's target as the file's text.
cp -r "$chart" "$work/unlinked"
rm "$work/unlinked/files/crds"
readlink "$chart/files/crds" >"$work/unlinked/files/crds"
unlinked_refused() {
  ! "$helm" template x "$work/unlinked" >"$work/out" 2>&1 &&
    grep -qF 'crds.enabled: files/crds holds no CRD. It links to deploy/crds: a checkout without symlinks' "$work/out" ||
    { sed 's/^/  /' "$work/out"; return 1; }
}
check "a checkout without symlinks is told why the CRD is missing and what to do" unlinked_refused
check "and renders without the CRD when crds.enabled=false" quiet "$helm" template x "$work/unlinked" --set crds.enabled=false
check "helm lint" quiet "$helm" lint "$chart"
check "helm lint --strict" quiet "$helm" lint --strict "$chart"
check "helm lint --strict, one namespace, two replicas, a ServiceMonitor and a PrometheusRule" quiet "$helm" lint --strict "$chart" \
  --set watchNamespace=shop --set replicaCount=2 --set serviceMonitor.enabled=true --set prometheusRule.enabled=true
check "helm lint --strict without metrics or CRDs, with a NetworkPolicy" quiet "$helm" lint --strict "$chart" \
  --set metrics.enabled=false --set crds.enabled=false --set networkPolicy.enabled=true

# The defaults, as deploy/ installs it: same release name and namespace.
render schemagate-operator --namespace schemagate-system
as_json "$kubectl" <"$source_dir/deploy/rbac.yaml" | jq -s . >"$work/deploy-rbac.json"
as_json "$kubectl" <"$source_dir/deploy/deployment.yaml" >"$work/deploy-deployment.json"
rules() { jq -c ".[] | select(.kind == \"$2\") | .rules" "$work/$1.json"; }
check "by default: every namespace watched, the CRD, no PodDisruptionBudget for one replica, no ServiceMonitor" equals \
  "$(query schemagate-operator '[.[].kind] | sort')" \
  '["ClusterRole","ClusterRoleBinding","CustomResourceDefinition","Deployment","Role","RoleBinding","Service","ServiceAccount"]'
for crd in "$source_dir"/deploy/crds/*.yaml; do
  as_json "$kubectl" <"$crd" >"$work/deploy-crd.json"
  crd_name=$(jq -r .metadata.name "$work/deploy-crd.json")
  check "the CRD $crd_name is rendered with deploy/crds' spec, whatever it holds" equals \
    "$(query schemagate-operator ".[] | select(.kind == \"CustomResourceDefinition\" and .metadata.name == \"$crd_name\") | .spec")" \
    "$(jq -c .spec "$work/deploy-crd.json")"
done
check "as many CRDs as deploy/crds has" equals \
  "$(query schemagate-operator '[.[] | select(.kind == "CustomResourceDefinition")] | length')" \
  "$(ls "$source_dir"/deploy/crds/*.yaml | wc -l)"
check "kept on uninstall (helm.sh/resource-policy: keep), labelled as the release's" equals \
  "$(query schemagate-operator '.[] | select(.kind == "CustomResourceDefinition") | [.metadata.annotations, .metadata.labels["app.kubernetes.io/instance"]]')" \
  '[{"helm.sh/resource-policy":"keep"},"schemagate-operator"]'
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
check "by default one replica, no priority class, no extra env, volumes or pod annotations" equals \
  "$(deployment schemagate-operator '[.spec.replicas, (.spec.template.spec | has("priorityClassName"), (.containers[0].env | length), has("volumes"), (.containers[0] | has("volumeMounts"))), (.spec.template.metadata | has("annotations"))]')" \
  '[1,false,1,false,false,false]'

render shop --namespace shop-ops --set watchNamespace=shop --set replicaCount=2
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

render no-crds --set crds.enabled=false
check "crds.enabled=false: no CRD" equals "$(query no-crds '[.[] | select(.kind == "CustomResourceDefinition")] | length')" 0
render unkept --set crds.keep=false
check "crds.keep=false: the CRD without the keep policy, so uninstall deletes it" equals \
  "$(query unkept '.[] | select(.kind == "CustomResourceDefinition") | .metadata | has("annotations")')" false

render custom --set image.tag=1.2.3 --set image.pullPolicy=Always --set 'imagePullSecrets[0].name=regcred' \
  --set nodeSelector.pool=system --set 'tolerations[0].key=dedicated' --set 'tolerations[0].operator=Exists' \
  --set logLevel=debug --set logFormat=text --set workers=4
check "image, pull secrets, scheduling and logging values reach the pod" equals \
  "$(deployment custom '.spec.template.spec | [.containers[0].image, .containers[0].imagePullPolicy, .imagePullSecrets[0].name, .nodeSelector.pool, .tolerations[0].key, (.containers[0].args | .[index("--log-level") + 1], .[index("--log-format") + 1], .[index("--workers") + 1])]')" \
  '["ghcr.io/schemagate/schemagate-operator:1.2.3","Always","regcred","system","dedicated","debug","text","4"]'

# The pod's optional values.
pod_values=(--set podAnnotations.team=shop --set podLabels.team=shop --set podLabels.app\\.kubernetes\\.io/name=other
  --set priorityClassName=system-cluster-critical --set health.port=9091 --set metrics.port=9090
  --set-json 'extraArgs=["--leader-election-lease-duration=30s",5]'
  --set-json 'extraEnv=[{"name":"SSL_CERT_FILE","value":"/etc/ca/ca.crt"}]'
  --set-json 'extraVolumes=[{"name":"ca","configMap":{"name":"api-ca"}}]'
  --set-json 'extraVolumeMounts=[{"name":"ca","mountPath":"/etc/ca","readOnly":true}]'
  --set-json 'affinity={"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"pool","operator":"In","values":["system"]}]}]}}}'
  --set resources.limits.memory=512Mi)
render pod "${pod_values[@]}"
check "podAnnotations and podLabels reach the pod; the chart's own labels win over podLabels" equals \
  "$(deployment pod '.spec.template.metadata | [.annotations.team, .labels.team, .labels["app.kubernetes.io/name"]]')" \
  '["shop","shop","schemagate-operator"]'
check "priorityClassName, affinity and resources reach the pod" equals \
  "$(deployment pod '.spec.template.spec | [.priorityClassName, .affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key, .containers[0].resources.limits.memory]')" \
  '["system-cluster-critical","pool","512Mi"]'
check "extraArgs follow the chart's flags, as strings; extraEnv follows POD_NAMESPACE" equals \
  "$(deployment pod '.spec.template.spec.containers[0] | [.args[-2:], [.env[].name]]')" \
  '[["--leader-election-lease-duration=30s","5"],["POD_NAMESPACE","SSL_CERT_FILE"]]'
check "extraVolumes and extraVolumeMounts reach the pod and the container" equals \
  "$(deployment pod '.spec.template.spec | [.volumes[0].configMap.name, .containers[0].volumeMounts[0].mountPath]')" \
  '["api-ca","/etc/ca"]'
check "health.port moves the probes' listener and port, metrics.port the metrics'" equals \
  "$(deployment pod '.spec.template.spec.containers[0] | [(.args | .[index("--health-probe-bind-address") + 1], .[index("--metrics-bind-address") + 1]), [.ports[] | [.name, .containerPort]]]')" \
  '[":9091",":9090",[["metrics",9090],["health",9091]]]'

render own-account --set serviceAccount.name=migrations-operator --set serviceAccount.annotations.owner=platform
check "serviceAccount.name names the rendered account, annotated, bound and used" equals \
  "$(query own-account '[(.[] | select(.kind == "ServiceAccount") | [.metadata.name, .metadata.annotations.owner]), ([.[] | select(.kind | endswith("Binding")) | .subjects[0].name] | unique), (.[] | select(.kind == "Deployment") | .spec.template.spec.serviceAccountName)]')" \
  '[["migrations-operator","platform"],["migrations-operator"],"migrations-operator"]'
render existing-account --set serviceAccount.create=false --set serviceAccount.name=platform-operator
check "serviceAccount.create=false: no account rendered, the named one bound and used" equals \
  "$(query existing-account '[([.[].kind] | index("ServiceAccount")), ([.[] | select(.kind | endswith("Binding")) | .subjects[0].name] | unique), (.[] | select(.kind == "Deployment") | .spec.template.spec.serviceAccountName)]')" \
  '[null,["platform-operator"],"platform-operator"]'

# Replicas, leader election and the disruption budget.
pdb() { query "$1" '[.[] | select(.kind == "PodDisruptionBudget") | .spec]'; }
render three --set replicaCount=3
check "replicaCount 3: three pods electing a leader, a budget letting one go at a time" equals \
  "$(deployment three '[.spec.replicas, (.spec.template.spec.containers[0].args | index("--leader-elect") != null)]') $(pdb three)" \
  '[3,true] [{"maxUnavailable":1,"selector":{"matchLabels":{"app.kubernetes.io/instance":"three","app.kubernetes.io/name":"schemagate-operator"}}}]'
render former --set replicas=2
check "replicas, the former name of replicaCount, still works (and the budget follows it)" equals \
  "$(deployment former .spec.replicas) $(pdb former | jq -c '.[0].maxUnavailable')" '2 1'
check "and the notes ask to rename it" grep -q 'The value `replicas` is now `replicaCount`' \
  <("$helm" install former "$chart" --dry-run=client --set replicas=2 2>/dev/null)
render minimum --set replicaCount=3 --set podDisruptionBudget.minAvailable=2 --set podDisruptionBudget.maxUnavailable=null
check "podDisruptionBudget.minAvailable instead of maxUnavailable" equals "$(pdb minimum | jq -c '.[0] | [.minAvailable, has("maxUnavailable")]')" '[2,false]'
render unbudgeted --set replicaCount=3 --set podDisruptionBudget.enabled=false
check "podDisruptionBudget.enabled=false: none" equals "$(pdb unbudgeted)" '[]'

# The NetworkPolicy.
render fenced --set networkPolicy.enabled=true \
  --set-json 'networkPolicy.metricsFrom=[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}}}]' \
  --set-json 'networkPolicy.egress.apiServer.to=[{"ipBlock":{"cidr":"10.0.0.10/32"}}]'
policy() { query "$1" ".[] | select(.kind == \"NetworkPolicy\") | $2"; }
check "networkPolicy: the operator's pods, ingress and egress" equals \
  "$(policy fenced '[.spec.podSelector.matchLabels["app.kubernetes.io/instance"], .spec.policyTypes]')" '["fenced",["Ingress","Egress"]]'
check "ingress: metrics from the monitoring namespace only, the probes' port from anywhere" equals \
  "$(policy fenced '[.spec.ingress[] | [.ports[0].port, (.from // "anyone")]]')" \
  '[["metrics",[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}}}]],["health","anyone"]]'
check "egress: the API server's ports at its address, and DNS in kube-system" equals \
  "$(policy fenced '[.spec.egress[] | [[.ports[] | "\(.protocol)/\(.port)"], .to[0]]]')" \
  '[[["TCP/443","TCP/6443"],{"ipBlock":{"cidr":"10.0.0.10/32"}}],[["UDP/53","TCP/53"],{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}]]'
render open-egress --set networkPolicy.enabled=true --set networkPolicy.egress.enabled=false --set metrics.enabled=false
check "egress.enabled=false: ingress only; without metrics only the probes' port is open" equals \
  "$(policy open-egress '[.spec.policyTypes, [.spec.ingress[].ports[0].port], has("egress")]')" '[["Ingress"],["health"],false]'
check "no NetworkPolicy unless asked" equals "$(query schemagate-operator '[.[] | select(.kind == "NetworkPolicy")] | length')" 0

# The PrometheusRule.
render alerting --namespace ops --set prometheusRule.enabled=true --set prometheusRule.labels.release=prometheus
rule_alerts() { query "$1" '[.[] | select(.kind == "PrometheusRule") | .spec.groups[].rules[].alert]'; }
check "prometheusRule.enabled renders one PrometheusRule, labelled as asked, with the chart's alerts" equals \
  "$(query alerting '[.[] | select(.kind == "PrometheusRule") | [.apiVersion, .metadata.labels.release]]') $(rule_alerts alerting)" \
  '[["monitoring.coreos.com/v1","prometheus"]] ["SchemagateOperatorAbsent","SchemagateOperatorNoLeader","SchemagateOperatorReconcileErrors","SchemagateOperatorWorkStuck","SchemagateOperatorQueueBacklog","SchemagateOperatorAPIErrors","SchemagateMigrationJobFailed","SchemagateRolloutHeld","SchemagateContractWaiting"]'
check "every alert has an expression, a for, a severity and a summary" equals \
  "$(query alerting '[.[] | select(.kind == "PrometheusRule") | .spec.groups[].rules[] | select(.expr == "" or .for == null or .labels.severity == null or .annotations.summary == null)] | length')" 0
check "their series are the release's metrics Service's, as a ServiceMonitor labels them" equals \
  "$(query alerting '[.[] | select(.kind == "PrometheusRule") | .spec.groups[].rules[].expr | test("\\{job=\"alerting-schemagate-operator-metrics\", namespace=\"ops\"")] | unique')" '[true]'
render quieter --set prometheusRule.enabled=true --set 'prometheusRule.disabled={SchemagateRolloutHeld}' \
  --set prometheusRule.selector='service="ops"' \
  --set-json 'prometheusRule.additionalRules=[{"alert":"MyOwn","expr":"sum by (le) (my_own_total{a=\"b\"}[5m] offset 1h) > bool 1"}]'
check "disabled leaves an alert out, additionalRules add to the group, selector replaces the matchers" equals \
  "$(rule_alerts quieter | jq -c '[index("SchemagateRolloutHeld"), .[-1]]') $(query quieter '.[] | select(.kind == "PrometheusRule") | .spec.groups[0].rules[0].expr')" \
  '[null,"MyOwn"] "absent(workqueue_depth{service=\"ops\"})"'
metric_names() {  # metric_names NAME: the metric names NAME's PrometheusRule expressions read
  query "$1" '.[] | select(.kind == "PrometheusRule") | .spec.groups[].rules[].expr' |
    jq -r -f "$source_dir/tests/helm/promql_metric_names.jq" | jq -r '.[]' | sort -u
}
check "the PromQL reader finds a metric name a rule adds, and only metric names" equals \
  "$(metric_names quieter | tr '\n' ' ')" \
  'controller_runtime_reconcile_errors_total controller_runtime_reconcile_total leader_election_master_status my_own_total rest_client_requests_total schemagate_migrationjobs workqueue_depth workqueue_unfinished_work_seconds '

check "the schema refuses a replica count that is not a number" \
  refused "at '/replicaCount': got string, want integer" --set replicaCount=two
check "and a former replicas that is not one" \
  refused "at '/replicas'" --set replicas=two
check "the schema refuses an unknown top-level key" \
  refused "additional properties 'replica' not allowed" --set replica=2
check "the schema refuses an unknown key of serviceAccount" \
  refused "additional properties 'create_' not allowed" --set serviceAccount.create_=false
check "the schema refuses a pod label that is not a string" \
  refused "at '/podLabels/tier': got number, want string" --set podLabels.tier=1
check "the schema refuses an API server port that is not a number" \
  refused "at '/networkPolicy/egress/apiServer/ports/0'" --set 'networkPolicy.egress.apiServer.ports[0]=https'
check "the schema refuses an alert to disable that the chart does not have" \
  refused "at '/prometheusRule/disabled/0'" --set 'prometheusRule.disabled={NoSuchAlert}'
check "the schema refuses a budget of no pods unavailable" \
  refused "at '/podDisruptionBudget/maxUnavailable'" --set podDisruptionBudget.maxUnavailable=0
check "a budget that would block every drain is refused, saying why" \
  refused "podDisruptionBudget.minAvailable 2 would block every node drain with 2 replicas" \
  --set replicaCount=2 --set podDisruptionBudget.minAvailable=2 --set podDisruptionBudget.maxUnavailable=null
check "a budget with both minAvailable and maxUnavailable is refused" \
  refused "set minAvailable or maxUnavailable, not both" --set replicaCount=2 --set podDisruptionBudget.minAvailable=1
check "an extra flag the chart sets from a value is refused, naming the value" \
  refused "extraArgs: --workers is the chart's: set workers instead" --set 'extraArgs={--workers=8}'
check "and so is one the chart keeps, saying why" \
  refused "extraArgs: --leader-election-namespace is the chart's: the Lease goes in the release's namespace" \
  --set 'extraArgs={--leader-election-namespace,ops}'
check "serviceAccount.create=false without a name is refused, saying what to set" \
  refused "serviceAccount.name is required when serviceAccount.create is false" --set serviceAccount.create=false
check "a PrometheusRule without metrics is refused" \
  refused "prometheusRule.enabled needs metrics.enabled=true" --set prometheusRule.enabled=true --set metrics.enabled=false
check "the schema refuses a log format outside text and json" \
  refused "at '/logFormat': value must be one of 'text', 'json'" --set logFormat=xml
check "the schema refuses a watchNamespace that is no namespace name" \
  refused "at '/watchNamespace'" --set watchNamespace=Shop_NS
check "a ServiceMonitor without metrics is refused, saying what to set" \
  refused "serviceMonitor.enabled needs metrics.enabled=true" --set serviceMonitor.enabled=true --set metrics.enabled=false
check "a metrics port on the probes' port is refused" \
  refused "metrics.port 8081 is the health probes' port" --set metrics.port=8081
check "and on a moved probes' port too" \
  refused "metrics.port 9000 is the health probes' port (health.port" --set metrics.port=9000 --set health.port=9000

# The renderings on the real API server.
use_cluster "$cluster"
"$helm" uninstall shop --namespace shop-ops --wait >/dev/null 2>&1 || true
fresh_namespace "$kubectl" shop
fresh_namespace "$kubectl" shop-ops
"$kubectl" create namespace schemagate-system --dry-run=client -o yaml | quiet "$kubectl" apply -f -
server_accepts() {  # server_accepts HELM-ARGS...: that rendering, CRD included, as the server would take it
  "$helm" template schemagate-operator "$chart" --namespace schemagate-system "$@" |
    "$kubectl" apply --dry-run=server -f - >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }
}
check "the server accepts every object of the default rendering" server_accepts
check "and of one with every pod value, three replicas and their budget, a NetworkPolicy and its own account" \
  server_accepts "${pod_values[@]}" --set replicaCount=3 --set networkPolicy.enabled=true \
  --set-json 'networkPolicy.metricsFrom=[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}}}]' \
  --set serviceAccount.name=migrations-operator --set serviceAccount.annotations.owner=platform
# The CRD belongs to deploy/ here, as in a cluster where another release owns it.
"$kubectl" apply -f "$source_dir/deploy/crds/" >/dev/null
# Pods share the host's network here (tests/kube/cmd/node-agent): ports of their own.
metrics_port=$(free_port)
health_port=$(free_port)
check "helm install of the one-namespace rendering without the CRD, waiting for the operator to be ready" \
  quiet "$helm" install shop "$chart" --namespace shop-ops --set watchNamespace=shop --set crds.enabled=false \
  --set metrics.port="$metrics_port" --set health.port="$health_port" --wait --timeout 120s
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

# The PrometheusRule's metric names against what the running operator serves.
curl -fsS "http://127.0.0.1:$metrics_port/metrics" >"$work/metrics.txt"
# What the observability work adds to /metrics (controller-runtime's names and
# schemagate's own); a histogram's series carry _bucket, _sum and _count.
coming='rest_client_requests_total leader_election_master_status workqueue_unfinished_work_seconds
  schemagate_migrationjobs schemagate_migration_duration_seconds schemagate_rollouts_held schemagate_rollout_hold_seconds'
# A family shows only once it has a series (reconcile errors after an error), so
# the names the operator registers count too.
{
  grep -rhoE '\.Name\("[a-zA-Z_:][a-zA-Z0-9_:]*"\)' "$source_dir/operator" | sed 's/.Name("\(.*\)")/\1/' |
    while read -r name; do printf '%s\n' "$name" "${name}_bucket" "${name}_sum" "${name}_count"; done
  grep -v '^#' "$work/metrics.txt" | sed -n 's/^\([a-zA-Z_:][a-zA-Z0-9_:]*\).*/\1/p'
  sed -n 's/^# TYPE \([^ ]*\) .*/\1/p' "$work/metrics.txt"
  for name in $coming; do printf '%s\n' "$name" "${name}_bucket" "${name}_sum" "${name}_count"; done
} | sort -u >"$work/known-metrics.txt"
check "the operator serves its metrics: the work queue's and the reconciles'" \
  grep -qE '^controller_runtime_reconcile_total\{.*result="success"' "$work/metrics.txt"
render alerting-shop --namespace shop-ops --set prometheusRule.enabled=true
metric_names alerting-shop >"$work/rule-metrics.txt"
check "the PrometheusRule's expressions read metrics, among them one the operator serves now" \
  grep -qxF workqueue_depth "$work/rule-metrics.txt"
check "every metric name the PrometheusRule's alerts read is one the operator serves or the observability work adds" equals \
  "$(comm -23 "$work/rule-metrics.txt" "$work/known-metrics.txt" | tr '\n' ' ')" ""
check "helm uninstall removes it" quiet "$helm" uninstall shop --namespace shop-ops --wait

finish
