#!/usr/bin/env bash
# Memory and informer throughput of schemagate-operator against the in-memory
# API server, with the real kubectl's watch as the baseline of the same run:
#   RSS idle; 1,000 MigrationJobs created at once (one `kubectl create -f`):
#   time until the operator has reconciled them all (live) vs `kubectl get -w`
#   printing them all; RSS with 1,000 watched objects; then a cold start over
#   the 1,000 existing objects (list + handle), operator vs kubectl.
# Usage: [BUILD_DIR=build] [KUBE_API_SERVER=path] bench/operator_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-1000}
build=${BUILD_DIR:-build}
operator_bin=$root/$build/operator/schemagate-operator
api_bin=${KUBE_API_SERVER:-$root/$build/tests/kube_api_server/kube-api-server}
kubectl_bin=$root/.tools/bin/kubectl
for bin in "$operator_bin" "$api_bin" "$kubectl_bin"; do
  [[ -x $bin ]] || { echo "missing $bin (scripts/build.sh, scripts/setup.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/schemagate-operator-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export KUBECONFIG=$work/kube/kubeconfig
kubectl() { "$kubectl_bin" --cache-dir "$work/kcache" "$@"; }
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
per_second() { awk -v n="$count" -v ms="$1" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }'; }
kib() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status"; }
wait_for() {  # wait_for SECONDS WHAT COMMAND... : poll every 50 ms
  local deadline=$(( $(date +%s) + $1 )) what=$2
  shift 2
  until "$@"; do
    (( $(date +%s) < deadline )) || { echo "timed out waiting for $what" >&2; exit 1; }
    sleep 0.05
  done
}
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
http_get() {  # http_get PORT PATH -> response (headers and body)
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  timeout 5 cat <&3 || true
  exec 3<&-
}
ready() { http_get "$probe_port" /readyz 2>/dev/null | head -1 | grep -q ' 200 '; }
reconciles() {
  http_get "$metrics_port" /metrics 2>/dev/null |
    awk '/^controller_runtime_reconcile_total[{ ]/ { s += $NF } END { print s + 0 }'
}
reconciled_all() { (( $(reconciles) >= count )); }
printed_all() { (( $(wc -l <"$work/watch.out") >= count )); }

start_operator() {  # start_operator [FLAGS...]; sets operator_pid, metrics_port, probe_port
  metrics_port=$(free_port)
  probe_port=$(free_port)
  "$operator_bin" --kubeconfig "$KUBECONFIG" --metrics-bind-address "127.0.0.1:$metrics_port" \
    --health-probe-bind-address "127.0.0.1:$probe_port" "$@" >>"$work/operator.log" 2>&1 &
  operator_pid=$!
  pids+=("$operator_pid")
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# The API server and the CRD.
"$api_bin" --state-dir "$work/kube" --log-level warn >"$work/api.log" 2>&1 &
pids+=($!)
wait_for 30 "kube-api-server" test -f "$work/kube/ready"
kubectl create -f - >/dev/null <<'EOF'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: migrationjobs.schemagate.io}
spec:
  group: schemagate.io
  scope: Namespaced
  names: {plural: migrationjobs, singular: migrationjob, kind: MigrationJob, listKind: MigrationJobList}
  versions:
    - name: v1alpha1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
EOF
kubectl get migrationjobs -A >/dev/null 2>&1  # kubectl's discovery cache learns the CRD
for i in $(seq 1 "$count"); do
  printf -- '---\napiVersion: schemagate.io/v1alpha1\nkind: MigrationJob\n'
  printf 'metadata: {name: job-%04d, labels: {app: bench}}\n' "$i"
  printf 'spec: {databaseSecret: db-%d, target: heads, image: "schemagate:0.1.0"}\n' "$i"
done >"$work/jobs.yaml"
create_jobs() {  # create_jobs NAMESPACE; sets create_ms
  local start
  start=$(now_ns)
  kubectl create -n "$1" -f "$work/jobs.yaml" >/dev/null
  create_ms=$(ms_since "$start")
}

echo "== operator idle"
start_operator
wait_for 60 "operator /readyz" ready
sleep 2
idle_rss=$(kib "$operator_pid" VmRSS)
echo "RSS idle: $idle_rss KiB"

echo "== $count MigrationJobs created at once, operator watching"
start=$(now_ns)
create_jobs default
wait_for 120 "$count reconciles" reconciled_all
op_live_ms=$(ms_since "$start")
op_create_ms=$create_ms
echo "kubectl create: $create_ms ms; all reconciled after $op_live_ms ms"
sleep 2
full_rss=$(kib "$operator_pid" VmRSS)
full_hwm=$(kib "$operator_pid" VmHWM)
echo "RSS with $count objects: $full_rss KiB (peak $full_hwm KiB)"
stop "$operator_pid"

echo "== the same $count through kubectl get -w, in another namespace (operator stopped)"
kubectl create namespace baseline >/dev/null
"$kubectl_bin" --cache-dir "$work/kcache" get migrationjobs -n baseline -w -o name >"$work/watch.out" 2>/dev/null &
watch_pid=$!
pids+=("$watch_pid")
sleep 2
start=$(now_ns)
create_jobs baseline
wait_for 120 "$count lines from kubectl get -w" printed_all
kc_live_ms=$(ms_since "$start")
kc_rss=$(kib "$watch_pid" VmHWM)
stop "$watch_pid"
echo "kubectl create: $create_ms ms; all printed after $kc_live_ms ms (kubectl peak RSS $kc_rss KiB)"

echo "== cold start over the $count existing objects in default (list, then handle each)"
: >"$work/watch.out"
start=$(now_ns)
"$kubectl_bin" --cache-dir "$work/kcache" get migrationjobs -w -o name >"$work/watch.out" 2>/dev/null &
watch_pid=$!
pids+=("$watch_pid")
wait_for 120 "$count lines from kubectl get -w" printed_all
kc_cold_ms=$(ms_since "$start")
stop "$watch_pid"
start=$(now_ns)
start_operator --namespace default
wait_for 120 "$count reconciles" reconciled_all
op_cold_ms=$(ms_since "$start")
cold_hwm=$(kib "$operator_pid" VmHWM)
stop "$operator_pid"
echo "kubectl: $kc_cold_ms ms; operator: $op_cold_ms ms (peak RSS $cold_hwm KiB)"

echo
echo "| what | kubectl get -w | schemagate-operator | ratio |"
echo "|---|---:|---:|---:|"
echo "| its kubectl create -f | $create_ms ms | $op_create_ms ms | $(ratio "$op_create_ms" "$create_ms") |"
echo "| $count created at once (live watch) | $kc_live_ms ms, $(per_second "$kc_live_ms")/s | $op_live_ms ms, $(per_second "$op_live_ms")/s | $(ratio "$op_live_ms" "$kc_live_ms") |"
echo "| cold start over $count existing | $kc_cold_ms ms, $(per_second "$kc_cold_ms")/s | $op_cold_ms ms, $(per_second "$op_cold_ms")/s | $(ratio "$op_cold_ms" "$kc_cold_ms") |"
echo "| RSS idle | | $idle_rss KiB | |"
echo "| RSS with $count watched (peak) | $kc_rss KiB (peak) | $full_rss KiB ($full_hwm KiB) | $(ratio "$full_hwm" "$kc_rss") |"
