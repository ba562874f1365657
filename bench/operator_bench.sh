#!/usr/bin/env bash
# schemagate-operator's MigrationJob controller against the in-memory API
# server, with the real kubectl as the baseline of the same run:
#   RSS idle; N valid MigrationJobs (the real CRD, one Secret each) created at
#   once by one `kubectl create -f`: time until every one has its Job and its
#   status (observedGeneration, jobName naming an existing Job), peak RSS and
#   the operator's API requests; baseline: `kubectl create -f` of the very same
#   N Jobs in another namespace. Then a cold start over the N done
#   MigrationJobs: the operator's reconciles reaching N vs `kubectl get -w`
#   listing them, and its memory vs kubectl's.
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
for tool in jq curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/setup.sh)" >&2; exit 1; }
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
# shellcheck source=scripts/free_port.sh
source "$root/scripts/free_port.sh"
http_get() {  # http_get PORT PATH -> response (headers and body)
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  timeout 5 cat <&3 || true
  exec 3<&-
}
ready() { http_get "$probe_port" /readyz 2>/dev/null | head -1 | grep -q ' 200 '; }
metric() {  # metric NAME: the sum of NAME's samples on the operator's /metrics
  http_get "$metrics_port" /metrics 2>/dev/null |
    awk -v m="$1" 'index($0, m "{") == 1 || index($0, m " ") == 1 { s += $NF } END { print s + 0 }'
}
reconciled_all() { (( $(metric controller_runtime_reconcile_total) >= count )); }
printed_all() { (( $(wc -l <"$work/watch.out") >= count )); }
operator_requests() {  # the request log lines of the operator, one a line
  kubectl get --raw '/_test/requests?userAgent=schemagate-operator' | jq -r '.[]'
}
request_summary() {  # stdin: request lines -> "count METHOD resource[/subresource]", by count
  sed -E 's/\?.*//; s#^([A-Z]+) /apis?/(([^/]+/)?v[0-9][a-z0-9]*)(/namespaces/[^/]+)?/([a-z.]+)(/[^/]+)?(/[a-z]+)?$#\1 \5\7#' |
    sort | uniq -c | sort -rn
}

start_operator() {  # start_operator [FLAGS...]; sets operator_pid, metrics_port, probe_port
  metrics_port=$(free_port)
  probe_port=$(free_port)
  "$operator_bin" --kubeconfig "$KUBECONFIG" --metrics-bind-address "127.0.0.1:$metrics_port" \
    --health-probe-bind-address "127.0.0.1:$probe_port" "$@" >>"$work/operator.log" 2>&1 &
  operator_pid=$!
  pids+=("$operator_pid")
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# The API server, the real CRD, the namespaces and one Secret per MigrationJob.
"$api_bin" --state-dir "$work/kube" --log-level warn >"$work/api.log" 2>&1 &
pids+=($!)
wait_for 30 "kube-api-server" test -f "$work/kube/ready"
kubectl create -f deploy/crds/schemagate.io_migrationjobs.yaml >/dev/null
kubectl get migrationjobs -A >/dev/null 2>&1  # kubectl's discovery cache learns the CRD
kubectl create namespace bench >/dev/null
kubectl create namespace baseline >/dev/null
for i in $(seq -f %04g 1 "$count"); do
  printf -- '---\napiVersion: v1\nkind: Secret\ntype: Opaque\n'
  printf 'metadata: {name: db-%s}\n' "$i"
  printf 'stringData: {url: "postgresql://app%s:secret@db.example.svc:5432/app%s"}\n' "$i" "$i"
done >"$work/secrets.yaml"
kubectl create -n bench -f "$work/secrets.yaml" >/dev/null
for i in $(seq -f %04g 1 "$count"); do  # as deploy/examples/migrationjob.yaml
  printf -- '---\napiVersion: schemagate.io/v1alpha1\nkind: MigrationJob\n'
  printf 'metadata: {name: app-%s, labels: {app: bench}}\n' "$i"
  printf 'spec:\n  image: registry.example/app-migrations:1.0.0\n'
  printf '  database: {urlSecretRef: {name: db-%s, key: url}}\n' "$i"
done >"$work/migrationjobs.yaml"

# Done: N Jobs, and N MigrationJobs whose status has observedGeneration and a
# jobName that is one of those Jobs. Polled every 150 ms with curl straight to
# the API server (kubectl's start-up and decoding cost 5 to 10 times more): a
# one-item list whose remainingItemCount counts the Jobs, then, once they are
# all there, both full lists. Their cost is reported.
api_url=$(cat "$work/kube/ready")
api_get() {  # api_get PATH -> JSON
  curl -sSf --cacert "$work/kube/ca.crt" -H "Authorization: Bearer $(cat "$work/kube/token")" \
    "$api_url$1"
}
child_cpu_ms() {  # sets child_ms: CPU time of this shell's finished children (bash's times;
  times >"$work/times"  # not in $(...), whose subshell starts from zero)
  child_ms=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { sub(/s$/, "", $i); split($i, t, "m");
                 ms += (t[1] * 60 + t[2]) * 1000 } printf "%.0f", ms }' "$work/times")
}
polls=0
poll_ns=0
poll_cpu_ms=0
all_jobs_ms=""
all_done() {
  local start cpu done=1
  start=$(now_ns)
  child_cpu_ms
  cpu=$child_ms
  polls=$((polls + 1))
  if (( $(api_get "/apis/batch/v1/namespaces/bench/jobs?limit=1" |
          jq '(.items | length) + (.metadata.remainingItemCount // 0)') < count )); then
    done=0
  else
    [[ -n $all_jobs_ms ]] || all_jobs_ms=$(ms_since "$live_start")
    api_get /apis/batch/v1/namespaces/bench/jobs | jq -r '.items[].metadata.name' |
      sort >"$work/jobs.now"
    api_get /apis/schemagate.io/v1alpha1/namespaces/bench/migrationjobs |
      jq -r '.items[].status | select(.observedGeneration != null) | .jobName // empty' |
      sort >"$work/status.now"
    (( $(comm -12 "$work/jobs.now" "$work/status.now" | wc -l) >= count )) || done=0
  fi
  poll_ns=$((poll_ns + $(now_ns) - start))
  child_cpu_ms
  poll_cpu_ms=$((poll_cpu_ms + child_ms - cpu))
  (( done )) || { sleep 0.15; return 1; }
}

# Quiet: the operator's reconcile count has not moved for a second (its queue
# drained: the writes that follow the first status are done too).
last_reconciles=""
quiet() {
  local now
  now=$(metric controller_runtime_reconcile_total)
  if [[ $now != "$last_reconciles" ]]; then
    last_reconciles=$now
    last_change=$(now_ns)
  fi
  (( $(now_ns) - last_change >= 1000000000 ))
}

echo "== operator idle"
start_operator
wait_for 60 "operator /readyz" ready
sleep 2
idle_rss=$(kib "$operator_pid" VmRSS)
echo "RSS idle: $idle_rss KiB"

echo "== $count MigrationJobs created at once, operator running"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
live_start=$(now_ns)
kubectl create -n bench -f "$work/migrationjobs.yaml" >/dev/null
mj_create_ms=$(ms_since "$live_start")
wait_for 300 "$count Jobs and statuses" all_done
op_live_ms=$(ms_since "$live_start")
last_change=$(now_ns)
wait_for 120 "the operator to go quiet" quiet
settled_ms=$(( (last_change - live_start) / 1000000 ))
live_hwm=$(kib "$operator_pid" VmHWM)
live_rss=$(kib "$operator_pid" VmRSS)
live_reconciles=$(metric controller_runtime_reconcile_total)
live_errors=$(metric controller_runtime_reconcile_errors_total)
live_reconcile_ms=$(awk -v s="$(metric controller_runtime_reconcile_time_seconds_sum)" \
  -v n="$live_reconciles" 'BEGIN { printf "%.1f", (n > 0 ? s * 1000 / n : 0) }')
operator_requests >"$work/requests.live"
live_requests=$(wc -l <"$work/requests.live")
stop "$operator_pid"
poll_ms=$((poll_ns / 1000000))
echo "kubectl create of the MigrationJobs: $mj_create_ms ms; all $count Jobs after $all_jobs_ms ms;" \
  "all Jobs and statuses after $op_live_ms ms; last reconcile after $settled_ms ms"
echo "peak RSS $live_hwm KiB, RSS once quiet $live_rss KiB; $live_reconciles reconciles ($live_errors errors, mean $live_reconcile_ms ms)"
echo "polling: $polls polls, $poll_ms ms in curl and jq (mean $((poll_ms / polls)) ms a poll)," \
  "$poll_cpu_ms ms of their CPU"
echo "operator API requests ($live_requests, from start):"
request_summary <"$work/requests.live" | sed 's/^/  /'

echo "== baseline: kubectl create -f of the same $count Jobs, namespace baseline (operator stopped)"
kubectl get jobs -n bench -o json | jq -c '.items[] | {apiVersion, kind,
    metadata: {name: .metadata.name, namespace: "baseline", labels: .metadata.labels},
    spec: (.spec | del(.selector))}' | sed 's/^/---\n/' >"$work/jobs.yaml"  # JSON is YAML
(( $(grep -c '^{' "$work/jobs.yaml") == count )) || { echo "expected $count Jobs" >&2; exit 1; }
start=$(now_ns)
kubectl create -f "$work/jobs.yaml" >/dev/null
kc_create_ms=$(ms_since "$start")
echo "kubectl create of the Jobs: $kc_create_ms ms"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== cold start over the $count done MigrationJobs in bench (list, then reconcile each)"
: >"$work/watch.out"
start=$(now_ns)
"$kubectl_bin" --cache-dir "$work/kcache" get migrationjobs -n bench -w -o name >"$work/watch.out" 2>/dev/null &
watch_pid=$!
pids+=("$watch_pid")
wait_for 120 "$count lines from kubectl get -w" printed_all
kc_cold_ms=$(ms_since "$start")
kc_hwm=$(kib "$watch_pid" VmHWM)
stop "$watch_pid"
start=$(now_ns)
start_operator --namespace bench
wait_for 120 "$count reconciles" reconciled_all
op_cold_ms=$(ms_since "$start")
cold_hwm=$(kib "$operator_pid" VmHWM)
sleep 2
cold_rss=$(kib "$operator_pid" VmRSS)
operator_requests | tail -n +$((live_requests + 1)) >"$work/requests.cold"
stop "$operator_pid"
echo "kubectl get -w: $kc_cold_ms ms (peak RSS $kc_hwm KiB); operator: $op_cold_ms ms" \
  "(peak RSS $cold_hwm KiB, after $cold_rss KiB)"
echo "operator API requests in the cold start ($(wc -l <"$work/requests.cold")):"
request_summary <"$work/requests.cold" | sed 's/^/  /'
errors=$(grep -ciE 'error|warn' "$work/operator.log" || true)
echo "operator log, both runs: $(wc -l <"$work/operator.log") lines, $errors with error/warn"
grep -iE 'error|warn' "$work/operator.log" | head -n 5 | cut -c1-300 | sed 's/^/  /' || true

echo
echo "load average: $load_before before, $load_after after; $(nproc) cores"
echo
echo "| what (N = $count) | kubectl | schemagate-operator | ratio |"
echo "|---|---:|---:|---:|"
echo "| $count MigrationJobs created at once, until all have Job and status | \`create -f\` of the same $count Jobs: $kc_create_ms ms, $(per_second "$kc_create_ms")/s | $op_live_ms ms, $(per_second "$op_live_ms")/s (its \`create -f\`: $mj_create_ms ms; all Jobs: $all_jobs_ms ms; quiet: $settled_ms ms) | $(ratio "$op_live_ms" "$kc_create_ms") |"
echo "| cold start over $count done | \`get -w\` listing them: $kc_cold_ms ms | $count reconciles: $op_cold_ms ms | $(ratio "$op_cold_ms" "$kc_cold_ms") |"
echo "| RSS idle | | $idle_rss KiB | |"
echo "| peak RSS, $count created at once (RSS once quiet) | \`get -w\` peak: $kc_hwm KiB | $live_hwm KiB ($live_rss KiB) | $(ratio "$live_hwm" "$kc_hwm") |"
echo "| peak RSS, cold start (RSS after) | \`get -w\` peak: $kc_hwm KiB | $cold_hwm KiB ($cold_rss KiB) | $(ratio "$cold_hwm" "$kc_hwm") |"
echo "| operator API requests, created at once / cold start | | $live_requests / $(wc -l <"$work/requests.cold") | |"
echo "| polling (inside the created-at-once time) | | $polls polls: $poll_ms ms wall, $poll_cpu_ms ms CPU | |"
