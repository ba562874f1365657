#!/usr/bin/env bash
# The operator as deploy/ installs it, end to end against the test API server:
# kubectl apply -k deploy/, then the operator binary run with the flags of the
# Deployment read back (only the listeners moved to free local ports), the
# examples applied plus a MigrationJob gating a StatefulSet, and kubectl
# playing the kubelet and the Job controller. It checks the Jobs, the rollout
# gate held and released, status, Events, a failed generation, a clean
# SIGTERM, and that the operator's own requests match deploy/rbac.yaml and the
# chart's rules exactly (rbac_check.sh: every call allowed, every rule used).
# Usage: operator_e2e_test.sh KUBE_API_SERVER SCHEMAGATE_OPERATOR SOURCE_DIR
set -euo pipefail
server_bin=$1
operator_bin=$2
source_dir=$3
kubectl=$source_dir/.tools/bin/kubectl
helm=$source_dir/.tools/bin/helm

work=$(mktemp -d /tmp/schemagate-operator-e2e.XXXXXX)
server_pid=""
operator_pid=""
cleanup() {
  [[ -n $operator_pid ]] && kill "$operator_pid" 2>/dev/null
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$kubectl" "$helm" jq
quiet() { "$@" >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }; }
shop=(--namespace shop)
revision=a84e1c9b3d72

abort() {  # abort WHY: the steps left need what a failed check did not deliver
  echo "FAIL: $1"
  failed=$((failed + 1))
  finish || exit
}
operator_log() { echo "  operator log (last lines):"; tail -n 20 "$work/operator.log" | sed 's/^/    /'; }
# A process that exited stays a zombie until waited for: that counts as gone.
running() { [[ -e /proc/$1 ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }
stopped() { running "$operator_pid" && echo running || echo stopped; }

becomes() {  # becomes EXPECTED COMMAND...: polls COMMAND's output until it is EXPECTED (30 s)
  local want=$1 got deadline=$((SECONDS + 30))
  shift
  while true; do
    got=$("$@" 2>&1) || true
    [[ $got == "$want" ]] && return 0
    if ! running "$operator_pid"; then
      echo "  the operator exited"
      operator_log
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "  after 30 s, got:  $got"
      echo "  want: $want"
      operator_log
      return 1
    fi
    sleep 0.2
  done
}

probe() {  # probe PATH: the HTTP status of the operator's health listener at PATH
  local fd status=""
  exec {fd}<>"/dev/tcp/127.0.0.1/$health_port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&"$fd"
  read -r -t 2 _ status _ <&"$fd" || true
  exec {fd}>&-
  echo "$status"
}

# shellcheck source=scripts/free_port.sh
source "$source_dir/scripts/free_port.sh"

mj() { "$kubectl" get mj "$1" "${shop[@]}" -o json | jq -c "$2"; }  # mj NAME JQ
jobs_json() { "$kubectl" get jobs "${shop[@]}" -l app.kubernetes.io/managed-by=schemagate-operator -o json; }
# job_of NAME GENERATION: the Job the operator made for that generation of MigrationJob NAME
job_of() {
  jobs_json | jq -r --arg owner "$1" --arg generation "$2" '.items[]
    | select(.metadata.ownerReferences[0].name == $owner
             and .metadata.annotations["schemagate.io/generation"] == $generation)
    | .metadata.name'
}
jobs_per_owner() { jobs_json | jq -c '[.items[].metadata.ownerReferences[0].name] | group_by(.) | map({(.[0]): length}) | add'; }
# outcome NAME: phase, observedGeneration current, Ready, Stalled, appliedRevision
outcome() {
  mj "$1" '.status as $s | [$s.phase, $s.observedGeneration == .metadata.generation,
    ($s.conditions[]? | select(.type == "Ready" or .type == "Stalled") | "\(.type)=\(.status)"),
    $s.appliedRevision]'
}
events() { "$kubectl" get events "${shop[@]}" --field-selector "involvedObject.name=$1" -o json; }
event_reasons() {  # event_reasons NAME TYPE: the distinct reasons of TYPE's Events about NAME
  events "$1" | jq -r --arg type "$2" '[.items[] | select(.type == $type) | .reason] | unique | join(" ")'
}
# The gate annotation's record: [owner, field, previous value]; null when absent.
gate_record='.metadata.annotations["schemagate.io/rollout-gate"] // null
  | if . == null then null else fromjson | [.owner, .field, .previous] end'
deployment_gate() {
  "$kubectl" get deployment shop-api "${shop[@]}" -o json | jq -c "[.spec.paused, ($gate_record)]"
}
statefulset_gate() {
  "$kubectl" get statefulset shop-worker "${shop[@]}" -o json |
    jq -c "[.spec.updateStrategy.rollingUpdate.partition, ($gate_record)]"
}

finish_job() {  # finish_job JOB succeeded|failed MESSAGE: as the kubelet and the Job controller would
  local job=$1 outcome=$2 message=$3 now exit_code=0 job_status
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  [[ $outcome == failed ]] && exit_code=1
  "$kubectl" create "${shop[@]}" -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $job-x7k2p
  labels: {job-name: $job, batch.kubernetes.io/job-name: $job}
spec:
  restartPolicy: Never
  containers: [{name: migrate, image: registry.example/shop-migrations:1.4.0}]
EOF
  "$kubectl" patch pod "$job-x7k2p" "${shop[@]}" --subresource=status --type merge -p "$(jq -n -c \
    --arg now "$now" --arg message "$message" --argjson code "$exit_code" --arg phase "${outcome^}" \
    '{status: {phase: $phase, containerStatuses: [{name: "migrate", ready: false, restartCount: 0,
      image: "registry.example/shop-migrations:1.4.0",
      state: {terminated: {exitCode: $code, startedAt: $now, finishedAt: $now, message: $message}}}]}}')" >/dev/null
  if [[ $outcome == succeeded ]]; then
    job_status=$(jq -n -c --arg now "$now" '{status: {startTime: $now, completionTime: $now, succeeded: 1,
      conditions: [{type: "Complete", status: "True", lastTransitionTime: $now}]}}')
  else
    job_status=$(jq -n -c --arg now "$now" '{status: {startTime: $now, failed: 1,
      conditions: [{type: "Failed", status: "True", reason: "BackoffLimitExceeded",
                    message: "Job has reached the specified backoff limit", lastTransitionTime: $now}]}}')
  fi
  "$kubectl" patch job "$job" "${shop[@]}" --subresource=status --type merge -p "$job_status" >/dev/null
}

start_api_server "$server_bin" "$work/api"
check "kubectl apply -k deploy/ installs the operator" quiet "$kubectl" apply -k "$source_dir/deploy"
quiet "$kubectl" create namespace shop
# The workloads the gates hold: the example's Deployment, and a StatefulSet
# whose own partition (a canary) the release must restore.
"$kubectl" apply "${shop[@]}" -f - >/dev/null <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop-api}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop-api}}
  template:
    metadata: {labels: {app: shop-api}}
    spec:
      containers: [{name: api, image: registry.example/shop-api:2.0.0}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: shop-worker}
spec:
  serviceName: shop-worker
  replicas: 3
  selector: {matchLabels: {app: shop-worker}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {partition: 1}
  template:
    metadata: {labels: {app: shop-worker}}
    spec:
      containers: [{name: worker, image: registry.example/shop-worker:2.0.0}]
EOF

# The Deployment's own flags, so this is the operator of those manifests; only
# its listeners move: metrics off, probes on a free loopback port.
mapfile -t deployed_args < <("$kubectl" get deployment schemagate-operator --namespace schemagate-system \
  -o jsonpath='{range .spec.template.spec.containers[0].args[*]}{@}{"\n"}{end}')
health_port=$(free_port)
args=()
moved=0
for ((i = 0; i < ${#deployed_args[@]}; i++)); do
  case ${deployed_args[i]} in
    --metrics-bind-address) args+=(--metrics-bind-address 0); i=$((i + 1)); moved=$((moved + 1)) ;;
    --health-probe-bind-address) args+=(--health-probe-bind-address "127.0.0.1:$health_port"); i=$((i + 1)); moved=$((moved + 1)) ;;
    *) args+=("${deployed_args[i]}") ;;
  esac
done
check "the Deployment passes --metrics-bind-address and --health-probe-bind-address as separate args" \
  equals "$moved" 2
"$operator_bin" --kubeconfig "$work/api/kubeconfig" "${args[@]}" >"$work/operator.log" 2>&1 &
operator_pid=$!
check "the operator with the Deployment's flags becomes ready (/readyz)" becomes 200 probe /readyz
check "and live (/healthz)" becomes 200 probe /healthz

# As a user would: kubectl applies a directory in file name order, and the
# Secret's file sorts first, so no MigrationJob meets a missing Secret (the
# checks below find no Warning Event).
check "kubectl apply -n shop -f deploy/examples/" quiet "$kubectl" apply "${shop[@]}" -f "$source_dir/deploy/examples/"
"$kubectl" apply "${shop[@]}" -f - >/dev/null <<'EOF'
apiVersion: schemagate.io/v1alpha1
kind: MigrationJob
metadata: {name: shop-worker-migrate}
spec:
  image: registry.example/shop-migrations:1.4.0
  database:
    urlSecretRef: {name: shop-db, key: url}
  rollout:
    targetRef: {kind: StatefulSet, name: shop-worker}
EOF

check "one Job for each MigrationJob" becomes '{"shop-migrate":1,"shop-migrate-gated":1,"shop-worker-migrate":1}' \
  jobs_per_owner
plain_job=$(job_of shop-migrate 1)
[[ -n $plain_job ]] || abort "no Job of shop-migrate to read or to finish"
check "named <name>-<generation>-<4 hex>: $plain_job" grep -qxE 'shop-migrate-1-[0-9a-f]{4}' <<<"$plain_job"
"$kubectl" get job "$plain_job" "${shop[@]}" -o json >"$work/job.json"
pod_spec() { jq -c ".spec.template.spec | $1" "$work/job.json"; }
check "its one container, migrate, upgrades to heads" equals \
  "$(pod_spec '[(.containers | map(.name)), (.containers[0].args | join(" ") | contains(" upgrade heads "))]')" \
  '[["migrate"],true]'
check "the database URL is the Secret's key, mounted read-only, in no env var" equals \
  "$(pod_spec '(.volumes[] | select(.secret.secretName == "shop-db")) as $volume
    | [($volume | .secret.items[0].key),
       (.containers[0].volumeMounts[] | select(.name == ($volume | .name)) | .readOnly), .containers[0].env]')" \
  '["url",true,null]'
check "as non-root" equals "$(pod_spec '.securityContext.runAsNonRoot')" true
check "shop-api is paused, the annotation recording that paused was unset" becomes \
  '[true,["shop/shop-migrate-gated","spec.paused",null]]' deployment_gate
check "shop-worker is held by partition 2147483647, the annotation recording its partition 1" becomes \
  '[2147483647,["shop/shop-worker-migrate","spec.updateStrategy.rollingUpdate.partition",1]]' statefulset_gate
check "the gated MigrationJobs carry the rollout-gate finalizer" equals \
  "$(mj shop-migrate-gated .metadata.finalizers) $(mj shop-worker-migrate .metadata.finalizers)" \
  '["schemagate.io/rollout-gate"] ["schemagate.io/rollout-gate"]'

report=$(jq -n -c --arg revision "$revision" '{outcome: "succeeded", revisions: [$revision]}')
for name in shop-migrate shop-migrate-gated shop-worker-migrate; do
  finish_job "$(job_of "$name" 1)" succeeded "$report"
done
for name in shop-migrate shop-migrate-gated shop-worker-migrate; do
  check "$name: Succeeded at its generation, Ready, at the runner's revision" becomes \
    "[\"Succeeded\",true,\"Ready=True\",\"Stalled=False\",\"$revision\"]" outcome "$name"
done
check "shop-api is resumed: paused and the annotation gone" becomes '[null,null]' deployment_gate
check "shop-worker's partition is 1 again, the annotation gone" becomes '[1,null]' statefulset_gate
for name in shop-migrate-gated shop-worker-migrate; do
  check "$name: Events Started, RolloutHeld, Succeeded, RolloutReleased" becomes \
    "RolloutHeld RolloutReleased Started Succeeded" event_reasons "$name" Normal
done
for name in shop-migrate shop-migrate-gated shop-worker-migrate; do
  check "$name: no Warning Event" equals "$(event_reasons "$name" Warning)" ""
done
check "no second Job for a finished generation" equals "$(jobs_per_owner)" \
  '{"shop-migrate":1,"shop-migrate-gated":1,"shop-worker-migrate":1}'

# A second generation whose migration fails.
quiet "$kubectl" patch mj shop-migrate "${shop[@]}" --type merge -p "{\"spec\":{\"target\":\"$revision\"}}"
check "the new generation gets its own Job" becomes \
  '{"shop-migrate":2,"shop-migrate-gated":1,"shop-worker-migrate":1}' jobs_per_owner
failed_job=$(job_of shop-migrate 2)
[[ -n $failed_job ]] || abort "no Job of shop-migrate's generation 2 to fail"
check "whose runner upgrades to the new target" equals \
  "$("$kubectl" get job "$failed_job" "${shop[@]}" -o json |
     jq --arg upgrade " upgrade $revision " '.spec.template.spec.containers[0].args | join(" ") | contains($upgrade)')" true
error="versions/x.sql:7: syntax error"
finish_job "$failed_job" failed "$(jq -n -c --arg error "$error" \
  '{outcome: "failed", exitCode: 1, kind: "migration-failed", error: $error}')"
check "shop-migrate: Failed at generation 2, Stalled; appliedRevision still where the database is" becomes \
  "[\"Failed\",true,\"Ready=False\",\"Stalled=True\",\"$revision\"]" outcome shop-migrate
check "Stalled says the runner's error and the Job's reason" equals \
  "$(mj shop-migrate '.status.conditions[] | select(.type == "Stalled") | [.reason, .message]' |
     jq -c --arg error "$error" '[.[0], (.[1] | contains($error))]')" \
  '["BackoffLimitExceeded",true]'
failure_events() {
  events shop-migrate | jq -c --arg error "$error" \
    '[.items[] | select(.type == "Warning" and .reason == "Failed") | .message | contains($error)]'
}
check "a Warning Event Failed says the runner's error" becomes '[true]' failure_events

kill -TERM "$operator_pid"
check "SIGTERM stops the operator" becomes stopped stopped
status=0
wait "$operator_pid" || status=$?
operator_pid=""
check "with exit status 0" equals "$status" 0

# Taken after the stop, so the calls of shutting down (the Lease released)
# are checked too. kubectl's own requests are left out by their User-Agent.
"$kubectl" get --raw '/_test/requests?userAgent=schemagate-operator' >"$work/requests.json"
check "the log narrowed by User-Agent has the operator's calls, none of kubectl's (its Pods)" equals \
  "$(jq -c '[any(startswith("POST /apis/batch/v1/namespaces/shop/jobs")), any(startswith("POST /api/v1/namespaces/shop/pods"))]' \
     "$work/requests.json")" '[true,false]'
"$kubectl" get clusterrole,clusterrolebinding schemagate-operator -o json >"$work/rbac.json"
"$kubectl" get role,rolebinding schemagate-operator-leader-election --namespace schemagate-system -o json \
  >>"$work/rbac.json"
check "deploy/'s RBAC as the server holds it allows every call the operator made, each rule used" \
  quiet bash "$source_dir/tests/deploy/rbac_check.sh" "$work/requests.json" "$work/rbac.json"
"$helm" template schemagate-operator "$source_dir/helm/schemagate-operator" --namespace schemagate-system |
  as_json "$kubectl" >"$work/chart.json"
check "and so does the chart's" \
  quiet bash "$source_dir/tests/deploy/rbac_check.sh" "$work/requests.json" "$work/chart.json"

finish
