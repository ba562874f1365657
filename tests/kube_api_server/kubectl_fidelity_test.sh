#!/usr/bin/env bash
# Drives kube-api-server with the real kubectl (scripts/setup.sh installs it;
# a missing kubectl fails the test rather than hiding a broken set-up).
# usage: kubectl_fidelity_test.sh KUBE_API_SERVER KUBECTL
set -euo pipefail
server_bin=$1
kubectl_bin=$2
[[ -x $kubectl_bin ]] || { echo "FAIL: $kubectl_bin missing: scripts/setup.sh installs it"; exit 1; }

work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$server_bin" --state-dir "$work/state" --bookmark-interval-ms 500 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do [[ -f $work/state/ready ]] && break; sleep 0.1; done
[[ -f $work/state/ready ]] || { cat "$work/server.err"; echo "server did not start"; exit 1; }

export KUBECONFIG=$work/state/kubeconfig
export HOME=$work/home   # kubectl's discovery cache lives under it
mkdir -p "$HOME"
kubectl() { "$kubectl_bin" --request-timeout=20s "$@"; }

failures=0
check() {  # check NAME EXPECTED ACTUAL: ACTUAL must contain EXPECTED
  if [[ $3 == *"$2"* ]]; then
    echo "ok: $1"
  else
    echo "FAIL: $1: wanted '$2' in:"
    echo "$3" | sed 's/^/    /'
    failures=$((failures + 1))
  fi
}
run() { "$@" 2>&1 || echo "(exit status $?)"; }

check "version" "Server Version: v1.35" "$(run kubectl version)"
check "create namespace" "namespace/shop created" "$(run kubectl create namespace shop)"
check "get namespace" "shop" "$(run kubectl get namespaces)"

cat >"$work/deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports: [{containerPort: 80}]
YAML
check "apply deployment" "deployment.apps/web created" "$(run kubectl apply -f "$work/deployment.yaml")"
check "apply unchanged" "deployment.apps/web unchanged" "$(run kubectl apply -f "$work/deployment.yaml")"
sed -i 's/nginx:1.27/nginx:1.28/' "$work/deployment.yaml"
check "apply changed" "deployment.apps/web configured" "$(run kubectl apply -f "$work/deployment.yaml")"
deployment_json=$(run kubectl get deployment web -n shop -o json)
check "get -o json image" '"image": "nginx:1.28"' "$deployment_json"
check "apply kept the port" '"containerPort": 80' "$deployment_json"
check "apply bumped generation" '"generation": 2' "$deployment_json"
check "get deployments" "web" "$(run kubectl get deployments -n shop)"

cat >"$work/crd.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: migrationjobs.schemagate.io
spec:
  group: schemagate.io
  scope: Namespaced
  names: {plural: migrationjobs, singular: migrationjob, kind: MigrationJob, shortNames: [mj]}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [image]
            properties:
              image: {type: string}
              target: {type: string}
          status:
            type: object
            properties:
              phase: {type: string, enum: [Pending, Running, Succeeded, Failed]}
YAML
cat >"$work/mj.yaml" <<'YAML'
apiVersion: schemagate.io/v1alpha1
kind: MigrationJob
metadata:
  name: shop-db
  namespace: shop
spec:
  image: registry.example/shop-migrations:1.4.0
  target: heads
YAML
check "apply crd" "customresourcedefinition.apiextensions.k8s.io/migrationjobs.schemagate.io created" \
  "$(run kubectl apply -f "$work/crd.yaml")"
check "apply custom resource" "migrationjob.schemagate.io/shop-db created" "$(run kubectl apply -f "$work/mj.yaml")"
check "get by short name" "shop-db" "$(run kubectl get mj -n shop)"
check "get -o yaml" "image: registry.example/shop-migrations:1.4.0" "$(run kubectl get mj shop-db -n shop -o yaml)"
check "get -o jsonpath" "heads" "$(run kubectl get migrationjob shop-db -n shop -o 'jsonpath={.spec.target}')"

kubectl get mj -n shop -w --request-timeout=0 >"$work/watch.out" 2>&1 &
watch_pid=$!
sleep 2
check "patch merge" "migrationjob.schemagate.io/shop-db patched" \
  "$(run kubectl patch mj shop-db -n shop --type merge -p '{"spec":{"target":"3f2a9c1b7d4e"}}')"
check "patch status" "migrationjob.schemagate.io/shop-db patched" \
  "$(run kubectl patch mj shop-db -n shop --subresource=status --type merge -p '{"status":{"phase":"Running"}}')"
check "status written" "Running" "$(run kubectl get mj shop-db -n shop -o 'jsonpath={.status.phase}')"
check "status enum enforced" "Unsupported value" \
  "$(run kubectl patch mj shop-db -n shop --subresource=status --type merge -p '{"status":{"phase":"Nope"}}')"
check "required field enforced" "spec.image: Required value" \
  "$(run kubectl patch mj shop-db -n shop --type merge -p '{"spec":{"image":null}}')"
sleep 2
kill "$watch_pid" 2>/dev/null || true
wait "$watch_pid" 2>/dev/null || true
watch_lines=$(grep -c shop-db "$work/watch.out" || true)
check "watch saw the patches" "yes" "$([[ $watch_lines -ge 2 ]] && echo yes || { echo no; cat "$work/watch.out"; })"

check "watch timeout ends the stream" "shop-db" "$(run kubectl get mj -n shop -w --request-timeout=3s)"
check "delete custom resource" 'migrationjob.schemagate.io "shop-db" deleted' "$(run kubectl delete mj shop-db -n shop)"
check "gone" "NotFound" "$(run kubectl get mj shop-db -n shop)"
check "delete deployment" 'deployment.apps "web" deleted' "$(run kubectl delete -f "$work/deployment.yaml")"
check "delete namespace" 'namespace "shop" deleted' "$(run kubectl delete namespace shop)"

if [[ $failures -gt 0 ]]; then
  echo "--- server log"; cat "$work/server.err"
  exit 1
fi
