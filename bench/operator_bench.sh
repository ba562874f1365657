#!/usr/bin/env bash
# schemagate-operator's MigrationJob controller against the real control plane
# (scripts/kube.sh: etcd, kube-apiserver with admission, RBAC and an audit log,
# kube-controller-manager, kube-scheduler, the node agent), with the real
# kubectl as the baseline, against the same API server in the same run:
#   RSS idle, then with N Secrets cached; N valid MigrationJobs (the real CRD,
#   one of those Secrets each) created at once by one `kubectl create -f`: time until every one has its Job and its
#   status (observedGeneration, jobName naming an existing Job), peak RSS and
#   the operator's API requests; baseline: `kubectl create -f` of the very same
#   N Jobs in another namespace (and of the same N MigrationJobs there, with no
#   operator running, to show what the custom resources alone cost the API
#   server). Then a cold start over the N done MigrationJobs: the operator's
#   reconciles reaching N vs `kubectl get -w` listing them, and its memory vs
#   kubectl's.
# The cluster is private to the run (a temporary directory, stopped on exit)
# and runs kube-controller-manager's default controllers minus job-controller:
# the operator's work ends at the Job and its status, and a Job controller
# would turn the 2 x N Jobs into as many pods on the node agent, which on a
# 2-core machine would measure pod churn, not the operator. The operator runs
# as a process (not in a pod) with a kubeconfig holding a token of its own
# ServiceAccount (deploy/'s RBAC, applied with `kubectl apply -k deploy/`), so
# the API server's audit log records its requests, and nobody else's, under
# system:serviceaccount:schemagate-system:schemagate-operator. kubectl runs as
# the cluster admin (client certificate).
# Usage: [BUILD_DIR=build] [OPERATOR_FLAGS='--workers 8'] bench/operator_bench.sh [N]
# Needs the operator (scripts/build.sh), .tools/bin/kubectl (scripts/setup.sh)
# and the control plane's binaries (built by scripts/kube.sh on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-1000}
build=${BUILD_DIR:-build}
operator_bin=$root/$build/operator/schemagate-operator
kubectl_bin=$root/.tools/bin/kubectl
for bin in "$operator_bin" "$kubectl_bin"; do
  [[ -x $bin ]] || { echo "missing $bin (scripts/build.sh, scripts/setup.sh)" >&2; exit 1; }
done
for tool in jq curl openssl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (scripts/setup.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/schemagate-operator-bench.XXXXXX)
cluster=$work/kube
pids=()
cleanup() {
  local status=$?
  if (( status != 0 )) && [[ -s $work/operator.log ]]; then
    echo "the operator's log ends:" >&2
    tail -n 20 "$work/operator.log" | cut -c1-400 >&2
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$root/scripts/kube.sh" stop "$cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
kubectl() { "$kubectl_bin" --cache-dir "$work/kcache" "$@"; }
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
per_second() { awk -v n="$count" -v ms="$1" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }'; }
kib() { awk -v k="$2" '$1 == k ":" { print $2 }' "/proc/$1/status"; }
cpu_ms() {  # cpu_ms PID: the process's user and system CPU time so far
  sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($12 + $13) * 1000 / hz }'
}
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
ready() {
  kill -0 "$operator_pid" 2>/dev/null || { echo "the operator exited" >&2; exit 1; }
  http_get "$probe_port" /readyz 2>/dev/null | head -1 | grep -q ' 200 '
}
metric() {  # metric NAME: the sum of NAME's samples on the operator's /metrics
  http_get "$metrics_port" /metrics 2>/dev/null |
    awk -v m="$1" 'index($0, m "{") == 1 || index($0, m " ") == 1 { s += $NF } END { print s + 0 }'
}
reconciled_all() { (( $(metric controller_runtime_reconcile_total) >= count )); }
printed_all() { (( $(wc -l <"$work/watch.out") >= count )); }

# The private cluster: kube.sh's default controllers minus job-controller.
default_controllers=$(sed -n 's/.*KUBE_CONTROLLERS:-\([a-z,-]*\)}.*/\1/p' scripts/kube.sh)
[[ -n $default_controllers ]] || { echo "cannot read the default KUBE_CONTROLLERS in scripts/kube.sh" >&2; exit 1; }
controllers=$(tr , '\n' <<<"$default_controllers" | grep -vx job-controller | paste -sd, -)
echo "== starting a private cluster in $cluster (controllers: $controllers)"
start=$(now_ns)
KUBE_CONTROLLERS=$controllers "$root/scripts/kube.sh" start "$cluster" >"$work/kube-start.log" 2>&1 ||
  { cat "$work/kube-start.log" >&2; exit 1; }
set -a
# shellcheck source=/dev/null
source "$cluster/env"
set +a
echo "cluster up after $(ms_since "$start") ms; API server on port $KUBE_API_PORT"
api_pid=$(cat "$cluster/pids/kube-apiserver")
etcd_pid=$(cat "$cluster/pids/etcd")

# The operator's CRD, namespace, ServiceAccount and RBAC, as deployed; its
# Deployment is deleted at once (the operator runs here as a process).
kubectl apply -k deploy/ >/dev/null
kubectl delete deployment schemagate-operator -n schemagate-system --wait=false >/dev/null
kubectl wait --for condition=established crd/migrationjobs.schemagate.io --timeout 60s >/dev/null
kubectl get migrationjobs -A >/dev/null 2>&1  # kubectl's discovery cache learns the CRD
operator_user=system:serviceaccount:schemagate-system:schemagate-operator
cat >"$work/operator.kubeconfig" <<CONFIG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://127.0.0.1:$KUBE_API_PORT", certificate-authority: "$cluster/pki/ca.crt"}
users:
- name: schemagate-operator
  user: {token: "$(kubectl create token schemagate-operator -n schemagate-system --duration 1h)"}
contexts:
- name: local
  context: {cluster: local, user: schemagate-operator, namespace: schemagate-system}
current-context: local
CONFIG

# The operator's requests, from the audit log: one line per request (a watch
# is logged when it starts and again when it ends), "auditID<TAB>verb<TAB>
# resource[/subresource]" (the path for non-resource requests). A line being
# written as it is read is skipped (fromjson?).
operator_requests() {
  jq -R -r --arg user "$operator_user" 'fromjson? | select(.user.username == $user)
    | [.auditID, .verb, (if .objectRef.resource then .objectRef.resource
        + (if .objectRef.subresource then "/" + .objectRef.subresource else "" end)
        else .requestURI end)] | @tsv' "$KUBE_AUDIT_LOG" | sort -u -t $'\t' -k1,1
}
request_summary() {  # stdin: request lines -> "count verb resource[/subresource]", by count
  cut -f2,3 | tr '\t' ' ' | sort | uniq -c | sort -rn
}

start_operator() {  # start_operator [FLAGS...]; sets operator_pid, metrics_port, probe_port
  metrics_port=$(free_port)
  probe_port=$(free_port)
  # shellcheck disable=SC2086  # OPERATOR_FLAGS: more flags, split on spaces
  "$operator_bin" --kubeconfig "$work/operator.kubeconfig" --metrics-bind-address "127.0.0.1:$metrics_port" \
    --health-probe-bind-address "127.0.0.1:$probe_port" ${OPERATOR_FLAGS:-} "$@" >>"$work/operator.log" 2>&1 &
  operator_pid=$!
  pids+=("$operator_pid")
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# The namespaces and one Secret per MigrationJob.
kubectl create namespace bench >/dev/null
kubectl create namespace baseline >/dev/null
for i in $(seq -f %04g 1 "$count"); do
  printf -- '---\napiVersion: v1\nkind: Secret\ntype: Opaque\n'
  printf 'metadata: {name: db-%s}\n' "$i"
  printf 'stringData: {url: "postgresql://app%s:secret@db.example.svc:5432/app%s"}\n' "$i" "$i"
done >"$work/secrets.yaml"
for i in $(seq -f %04g 1 "$count"); do  # as deploy/examples/migrationjob.yaml
  printf -- '---\napiVersion: schemagate.io/v1alpha1\nkind: MigrationJob\n'
  printf 'metadata: {name: app-%s, labels: {app: bench}}\n' "$i"
  printf 'spec:\n  image: registry.example/app-migrations:1.0.0\n'
  printf '  database: {urlSecretRef: {name: db-%s, key: url}}\n' "$i"
done >"$work/migrationjobs.yaml"

# Done: N Jobs, and N MigrationJobs whose status has observedGeneration and a
# jobName that is one of those Jobs. Polled every 150 ms with curl straight to
# the API server as the cluster admin (kubectl's start-up and decoding cost 5
# to 10 times more): a one-item list whose remainingItemCount counts the Jobs,
# then, once they are all there, the Jobs' names (metadata only) and the
# MigrationJobs in full. Their cost is reported.
api_get() {  # api_get PATH [CURL ARGS...] -> JSON
  curl -sSf --cacert "$cluster/pki/ca.crt" --cert "$cluster/pki/admin.crt" --key "$cluster/pki/admin.key" \
    "${@:2}" "https://127.0.0.1:$KUBE_API_PORT$1"
}
metadata_only='Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'
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
  if (( $(api_get "/apis/batch/v1/namespaces/bench/jobs?limit=1" -H "$metadata_only" |
          jq '(.items | length) + (.metadata.remainingItemCount // 0)') < count )); then
    done=0
  else
    [[ -n $all_jobs_ms ]] || all_jobs_ms=$(ms_since "$live_start")
    api_get /apis/batch/v1/namespaces/bench/jobs -H "$metadata_only" | jq -r '.items[].metadata.name' |
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
idle_anon=$(kib "$operator_pid" RssAnon)  # the rest is the shared libraries' pages
echo "RSS idle: $idle_rss KiB, of which anonymous $idle_anon KiB"
# Where the idle RSS is, from smaps: the pages of each mapped file (the shared
# libraries' code, read-only data and symbol tables: the dynamic loader binds
# every symbol of a library linked with -z now, as Debian's cpprestsdk is),
# the heap, the threads' stacks (their 8 MiB mappings) and other anonymous memory.
rss_by_mapping() {  # rss_by_mapping PID -> "KiB what" lines
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = $6; sub(/.*\//, "", name); if (name == "") name = "[anon]" }
       /^Size:/ { size = $2 }
       /^Rss:/ { if (name == "[anon]" && size == 8192) name = "[thread stacks]"; rss[name] += $2 }
       END { for (n in rss) if (rss[n] > 0) print rss[n], n }' "/proc/$1/smaps" | sort -rn
}
rss_by_mapping "$operator_pid" >"$work/idle.rss"
echo "  anonymous: $(grep -E ' \[(heap|anon|thread stacks|stack)\]$' "$work/idle.rss" | paste -sd, - | sed 's/,/, /g')" \
  "($(awk '/^Threads:/ { print $2 }' "/proc/$operator_pid/status") threads)"
echo "  mapped files: $(grep -vE ' \[' "$work/idle.rss" | awk '{ s += $1 } END { print s }') KiB;" \
  "largest: $(grep -vE ' \[' "$work/idle.rss" | head -n 8 | paste -sd, - | sed 's/,/, /g')"

# The Secrets after the idle figures, so that idle is the operator with its
# caches empty. It watches Secrets and caches each as its key names only
# (watch::strip_secret); a MigrationJob's Secret is read from there.
echo "== $count Secrets created, operator running"
kubectl create -n bench -f "$work/secrets.yaml" >/dev/null
sleep 2
secrets_rss=$(kib "$operator_pid" VmRSS)
echo "RSS with the $count Secrets cached: $secrets_rss KiB"

echo "== $count MigrationJobs created at once, operator running"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
op_cpu=$(cpu_ms "$operator_pid") api_cpu=$(cpu_ms "$api_pid") etcd_cpu=$(cpu_ms "$etcd_pid")
live_start=$(now_ns)
kubectl create -n bench -f "$work/migrationjobs.yaml" >/dev/null
mj_create_ms=$(ms_since "$live_start")
wait_for 600 "$count Jobs and statuses" all_done
op_live_ms=$(ms_since "$live_start")
last_change=$(now_ns)
wait_for 300 "the operator to go quiet" quiet
settled_ms=$(( (last_change - live_start) / 1000000 ))
live_cpu="$(( $(cpu_ms "$operator_pid") - op_cpu )) / $(( $(cpu_ms "$api_pid") - api_cpu )) / $(( $(cpu_ms "$etcd_pid") - etcd_cpu ))"
live_hwm=$(kib "$operator_pid" VmHWM)
live_rss=$(kib "$operator_pid" VmRSS)
live_reconciles=$(metric controller_runtime_reconcile_total)
live_errors=$(metric controller_runtime_reconcile_errors_total)
live_reconcile_ms=$(awk -v s="$(metric controller_runtime_reconcile_time_seconds_sum)" \
  -v n="$live_reconciles" 'BEGIN { printf "%.1f", (n > 0 ? s * 1000 / n : 0) }')
stop "$operator_pid"
sleep 1  # the API server logs the end of the operator's watches
operator_requests >"$work/requests.live"
live_requests=$(wc -l <"$work/requests.live")
poll_ms=$((poll_ns / 1000000))
echo "kubectl create of the MigrationJobs: $mj_create_ms ms; all $count Jobs after $all_jobs_ms ms;" \
  "all Jobs and statuses after $op_live_ms ms; last reconcile after $settled_ms ms"
echo "peak RSS $live_hwm KiB, RSS once quiet $live_rss KiB; $live_reconciles reconciles ($live_errors errors, mean $live_reconcile_ms ms)"
echo "CPU until quiet, operator / kube-apiserver / etcd: $live_cpu ms (the API server's includes the polling and the MigrationJobs' create)"
echo "polling: $polls polls, $poll_ms ms in curl and jq (mean $((poll_ms / polls)) ms a poll)," \
  "$poll_cpu_ms ms of their CPU"
echo "operator API requests ($live_requests, from start; audit log):"
request_summary <"$work/requests.live" | sed 's/^/  /'

echo "== baseline: kubectl create -f of the same $count Jobs, then MigrationJobs, namespace baseline (operator stopped)"
# The operator's Jobs with metadata cut to name, namespace and labels, and
# without what the API server added (the generated selector and the
# controller-uid and job-name labels on the pod template).
kubectl get jobs -n bench -o json | jq -c '.items[] | {apiVersion, kind,
    metadata: {name: .metadata.name, namespace: "baseline", labels: .metadata.labels},
    spec: (.spec | del(.selector)
           | .template.metadata.labels |= (. // {} | with_entries(select(.key
               | IN("controller-uid", "batch.kubernetes.io/controller-uid", "job-name",
                    "batch.kubernetes.io/job-name") | not))))}' |
  sed 's/^/---\n/' >"$work/jobs.yaml"  # JSON is YAML
(( $(grep -c '^{' "$work/jobs.yaml") == count )) || { echo "expected $count Jobs" >&2; exit 1; }
api_cpu=$(cpu_ms "$api_pid") etcd_cpu=$(cpu_ms "$etcd_pid")
child_cpu_ms
kc_cpu=$child_ms
start=$(now_ns)
kubectl create -f "$work/jobs.yaml" >/dev/null
kc_create_ms=$(ms_since "$start")
child_cpu_ms
kc_cpu="$((child_ms - kc_cpu)) / $(( $(cpu_ms "$api_pid") - api_cpu )) / $(( $(cpu_ms "$etcd_pid") - etcd_cpu ))"
echo "kubectl create of the Jobs: $kc_create_ms ms; CPU, kubectl / kube-apiserver / etcd: $kc_cpu ms"
# What the API server alone spends on the N MigrationJobs (a custom resource:
# JSON, its schema, pruning), with no operator to serve at the same time.
start=$(now_ns)
kubectl create -n baseline -f "$work/migrationjobs.yaml" >/dev/null
kc_mj_create_ms=$(ms_since "$start")
echo "kubectl create of the same MigrationJobs in baseline, no operator running: $kc_mj_create_ms ms"
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
stop "$operator_pid"
sleep 1
operator_requests | awk -F '\t' 'NR == FNR { seen[$1] = 1; next } !seen[$1]' "$work/requests.live" - \
  >"$work/requests.cold"
cold_requests=$(wc -l <"$work/requests.cold")
echo "kubectl get -w: $kc_cold_ms ms (peak RSS $kc_hwm KiB); operator: $op_cold_ms ms" \
  "(peak RSS $cold_hwm KiB, after $cold_rss KiB)"
echo "operator API requests in the cold start ($cold_requests; audit log):"
request_summary <"$work/requests.cold" | sed 's/^/  /'
jq -R -r --arg user "$operator_user" 'fromjson? | select(.user.username == $user
  and (.responseStatus.code // 0) >= 400) | [.auditID, .responseStatus.code, .verb, .objectRef.resource,
  .objectRef.subresource // "", .responseStatus.reason // ""] | @tsv' "$KUBE_AUDIT_LOG" |
  sort -u -t $'\t' -k1,1 | cut -f2- >"$work/failed"
echo "operator requests answered 4xx/5xx, both runs: $(wc -l <"$work/failed")"
tr '\t' ' ' <"$work/failed" | sort | uniq -c | sort -rn | sed 's/^/  /'
errors=$(grep -ciE 'error|warn' "$work/operator.log" || true)
echo "operator log, both runs: $(wc -l <"$work/operator.log") lines, $errors with error/warn"
grep -iE 'error|warn' "$work/operator.log" | head -n 5 | cut -c1-300 | sed 's/^/  /' || true

echo
others=$(( $(pgrep -c -x kube-apiserver || true) - 1 ))
echo "load average: $load_before before, $load_after after; $(nproc) cores;" \
  "$others other kube-apiserver(s) on this machine"
echo
echo "| what (N = $count) | kubectl | schemagate-operator | ratio |"
echo "|---|---:|---:|---:|"
echo "| $count MigrationJobs created at once, until all have Job and status | \`create -f\` of the same $count Jobs: $kc_create_ms ms, $(per_second "$kc_create_ms")/s | $op_live_ms ms, $(per_second "$op_live_ms")/s (its \`create -f\`: $mj_create_ms ms; all Jobs: $all_jobs_ms ms; quiet: $settled_ms ms) | $(ratio "$op_live_ms" "$kc_create_ms") |"
echo "| ... of which its own \`create -f\` of the MigrationJobs | the same, no operator running: $kc_mj_create_ms ms | $mj_create_ms ms | $(ratio "$mj_create_ms" "$kc_mj_create_ms") |"
echo "| cold start over $count done | \`get -w\` listing them: $kc_cold_ms ms | $count reconciles: $op_cold_ms ms | $(ratio "$op_cold_ms" "$kc_cold_ms") |"
echo "| CPU in that time: client / kube-apiserver / etcd | kubectl: $kc_cpu ms | operator: $live_cpu ms | |"
echo "| RSS idle (anonymous) | | $idle_rss KiB ($idle_anon KiB) | |"
echo "| RSS with $count Secrets cached | | $secrets_rss KiB | |"
echo "| peak RSS, $count created at once (RSS once quiet) | \`get -w\` peak: $kc_hwm KiB | $live_hwm KiB ($live_rss KiB) | $(ratio "$live_hwm" "$kc_hwm") |"
echo "| peak RSS, cold start (RSS after) | \`get -w\` peak: $kc_hwm KiB | $cold_hwm KiB ($cold_rss KiB) | $(ratio "$cold_hwm" "$kc_hwm") |"
echo "| operator API requests, created at once / cold start | | $live_requests / $cold_requests | |"
echo "| polling (inside the created-at-once time) | | $polls polls: $poll_ms ms wall, $poll_cpu_ms ms CPU | |"
