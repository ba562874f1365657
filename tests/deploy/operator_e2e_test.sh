#!/usr/bin/env bash
# The operator as deploy/ installs it, end to end on the real control plane:
# kubectl apply -k deploy/ runs the operator as a pod under its ServiceAccount,
# so the real RBAC authorizer enforces deploy/'s rules; the examples'
# MigrationJobs get Jobs, the Job controller makes the pods, the node agent
# runs the runner image against the real PostgreSQL. Then, a user's stories:
# a gated Deployment is not rolled out while its migration runs and is rolled
# out after; a failed migration keeps it held and deleting the MigrationJob
# releases it; a replaced operator pod makes no second Job; two operator pods
# elect one leader on a real Lease; and the operator's requests, read from the
# API server's audit log, match deploy/'s RBAC and the chart's exactly
# (rbac_check.sh: every call allowed, every rule used).
# Usage: operator_e2e_test.sh CLUSTER_DIR SOURCE_DIR
set -euo pipefail
cluster=$1
source_dir=$2
kubectl=$source_dir/.tools/bin/kubectl
helm=$source_dir/.tools/bin/helm
: "${SCHEMAGATE_TEST_DATABASE_URL:?run through scripts/test.sh, which starts PostgreSQL}"

work=$(mktemp -d /tmp/schemagate-operator-e2e.XXXXXX)
database=sg_operator_e2e
psql() { PGOPTIONS='-c client_min_messages=warning' "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
# MigrationJobs that hold a rollout carry a finalizer only a running operator
# removes: those left by an interrupted run are let go by hand.
let_go_of_migrationjobs() {
  local name
  for name in $("$kubectl" get mj "${shop[@]}" -o name 2>/dev/null); do
    "$kubectl" patch "$name" "${shop[@]}" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1
  done
}
cleanup() {
  # The namespace first, while the operator still runs to release its gates.
  "$kubectl" delete namespace shop --ignore-not-found --timeout 60s >/dev/null 2>&1 ||
    let_go_of_migrationjobs
  "$kubectl" delete -k "$source_dir/deploy" --ignore-not-found --wait=false >/dev/null 2>&1
  psql -d "$SCHEMAGATE_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source=tests/support/checks.sh
source "$source_dir/tests/support/checks.sh"
require_tools "$kubectl" "$helm" jq
use_cluster "$cluster"
# shellcheck disable=SC1091
source "$cluster/env"
quiet() { "$@" >"$work/out" 2>&1 || { sed 's/^/  /' "$work/out"; return 1; }; }
shop=(--namespace shop)
system=(--namespace schemagate-system)
let_go_of_migrationjobs
revision=a84e1c9b3d72

abort() {  # abort WHY: the steps left need what a failed check did not deliver
  echo "FAIL: $1"
  failed=$((failed + 1))
  finish || exit
}
operator_log() {  # the newest operator container's log (the node agent keeps them)
  local newest
  newest=$(ls -t "$cluster"/node/logs/schemagate-system_schemagate-operator-*.log 2>/dev/null | head -1)
  [[ -n $newest ]] || return 0
  echo "  $(basename "$newest") (last lines):"
  tail -n 15 "$newest" | sed 's/^/    /'
}
becomes() {  # becomes EXPECTED COMMAND...: polls COMMAND's output until it is EXPECTED (120 s)
  local want=$1 got deadline=$((SECONDS + 120))
  shift
  while true; do
    got=$("$@" 2>&1) || true
    [[ $got == "$want" ]] && return 0
    if ((SECONDS >= deadline)); then
      echo "  after 120 s, got:  $got"
      echo "  want: $want"
      operator_log
      return 1
    fi
    sleep 0.5
  done
}

mj() { "$kubectl" get mj "$1" "${shop[@]}" -o json | jq -c "$2"; }  # mj NAME JQ
jobs_json() { "$kubectl" get jobs "${shop[@]}" -l app.kubernetes.io/managed-by=schemagate-operator -o json; }
job_of() {  # job_of NAME GENERATION: the Job the operator made for that generation
  jobs_json | jq -r --arg owner "$1" --arg generation "$2" '.items[]
    | select(.metadata.ownerReferences[0].name == $owner
             and .metadata.annotations["schemagate.io/generation"] == $generation)
    | .metadata.name'
}
jobs_per_owner() { jobs_json | jq -c '[.items[].metadata.ownerReferences[0].name] | group_by(.) | map({(.[0]): length}) | add'; }
outcome() {  # outcome NAME: phase, observedGeneration current, Ready, Stalled, appliedRevision
  mj "$1" '.status as $s | [$s.phase, $s.observedGeneration == .metadata.generation,
    ($s.conditions[]? | select(.type == "Ready" or .type == "Stalled") | "\(.type)=\(.status)"),
    $s.appliedRevision]'
}
event_reasons() {  # event_reasons NAME TYPE: the distinct reasons of TYPE's Events about NAME
  "$kubectl" get events "${shop[@]}" --field-selector "involvedObject.name=$1" -o json |
    jq -r --arg type "$2" '[.items[] | select(.type == $type) | .reason] | unique | join(" ")'
}
# The gate annotation's record: [owner, field, previous value]; null when absent.
gate_record='.metadata.annotations["schemagate.io/rollout-gate"] // null
  | if . == null then null else fromjson | [.owner, .field, .previous] end'
gate() {  # gate: shop-api's paused, and its gate record
  "$kubectl" get deployment shop-api "${shop[@]}" -o json | jq -c "[.spec.paused, ($gate_record)]"
}
statefulset_gate() {  # statefulset_gate: shop-worker's partition, and its gate record
  "$kubectl" get statefulset shop-worker "${shop[@]}" -o json |
    jq -c "[.spec.updateStrategy.rollingUpdate.partition, ($gate_record)]"
}
# The images shop-api's ready pods run, once the Deployment controller has
# seen the latest spec: what is rolled out, not what is asked for.
serving() {
  local deployment
  deployment=$("$kubectl" get deployment shop-api "${shop[@]}" -o json)
  [[ $(jq '.status.observedGeneration == .metadata.generation' <<<"$deployment") == true ]] || { echo "not observed"; return; }
  "$kubectl" get pods "${shop[@]}" -l app=shop-api -o json | jq -c '[.items[]
    | select(.metadata.deletionTimestamp == null and any(.status.conditions[]?; .type == "Ready" and .status == "True"))
    | .spec.containers[0].image] | unique'
}
database_at() { psql -At -d "$url" -c 'SELECT version_num FROM schemagate_version ORDER BY 1' | tr '\n' ' '; }

psql -d "$SCHEMAGATE_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
url=${SCHEMAGATE_TEST_DATABASE_URL%/*}/$database
psql -d "$url" -c 'CREATE TABLE e2e_release (released boolean)'

"$kubectl" delete -k "$source_dir/deploy" --ignore-not-found --wait >/dev/null
audit_start=$(wc -l <"$KUBE_AUDIT_LOG")
check "kubectl apply -k deploy/ installs the operator" quiet "$kubectl" apply -k "$source_dir/deploy"
check "its pod becomes ready (/readyz) under its ServiceAccount" \
  quiet "$kubectl" rollout status deployment/schemagate-operator "${system[@]}" --timeout 180s
fresh_namespace "$kubectl" shop
# The Secret of deploy/examples points at an example host; this one at the
# test's PostgreSQL, which the runner pods reach over the host's loopback.
"$kubectl" create secret generic shop-db "${shop[@]}" --from-literal "url=$url" >/dev/null
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
      terminationGracePeriodSeconds: 2
      containers: [{name: api, image: registry.example/shop-api:1.4.0}]
---
# A StatefulSet with a canary partition of its own, which the gate must restore.
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: shop-worker}
spec:
  serviceName: shop-worker
  replicas: 2
  selector: {matchLabels: {app: shop-worker}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {partition: 1}
  template:
    metadata: {labels: {app: shop-worker}}
    spec:
      terminationGracePeriodSeconds: 2
      containers: [{name: worker, image: registry.example/shop-api:1.4.0}]
EOF
check "shop-api at 1.4.0 is rolled out" becomes '["registry.example/shop-api:1.4.0"]' serving

check "kubectl apply of the examples' MigrationJobs" quiet "$kubectl" apply "${shop[@]}" \
  -f "$source_dir/deploy/examples/migrationjob.yaml" -f "$source_dir/deploy/examples/migrationjob-with-rollout-gate.yaml"
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
check "one Job for each MigrationJob" becomes '{"shop-migrate":1,"shop-migrate-gated":1,"shop-worker-migrate":1}' jobs_per_owner
plain_job=$(job_of shop-migrate 1)
check "named <name>-<generation>-<4 hex>: $plain_job" grep -qxE 'shop-migrate-1-[0-9a-f]{4}' <<<"$plain_job"
for name in shop-migrate shop-migrate-gated shop-worker-migrate; do
  check "$name: Succeeded at its generation, Ready, at the runner's revision" becomes \
    "[\"Succeeded\",true,\"Ready=True\",\"Stalled=False\",\"$revision\"]" outcome "$name"
done
check "the Jobs raced on one database: each migration applied once" equals \
  "$(psql -At -d "$url" -c "SELECT count(*) FROM schemagate_history WHERE revision = '$revision' AND direction = 'up' AND outcome = 'succeeded'")" \
  "1"
check "shop-api is released: not paused, the gate annotation gone" becomes '[null,null]' gate
check "shop-worker's own partition 1 is restored, the annotation gone" becomes '[1,null]' statefulset_gate
for name in shop-migrate-gated shop-worker-migrate; do
  check "$name: Events Started, RolloutHeld, Succeeded, RolloutReleased" becomes \
    "RolloutHeld RolloutReleased Started Succeeded" event_reasons "$name" Normal
done
check "no Warning Event" equals \
  "$(event_reasons shop-migrate Warning)$(event_reasons shop-migrate-gated Warning)$(event_reasons shop-worker-migrate Warning)" ""

# A release whose migration fails, with a new app version: the rollout stays held.
quiet "$kubectl" patch mj shop-migrate-gated "${shop[@]}" --type merge \
  -p '{"spec":{"image":"registry.example/shop-migrations:failing","backoffLimit":0}}'
check "the failing generation holds shop-api" becomes '[true,["shop/shop-migrate-gated","spec.paused",null]]' gate
quiet "$kubectl" set image deployment/shop-api "${shop[@]}" api=registry.example/shop-api:2.0.0
check "its migration fails: Failed, Stalled, the database where it was" becomes \
  "[\"Failed\",true,\"Ready=False\",\"Stalled=True\",\"$revision\"]" outcome shop-migrate-gated
stalled_message() { mj shop-migrate-gated '.status.conditions[] | select(.type == "Stalled") | .message' | jq -r .; }
says_runner_error() {  # the runner's own words: the file and line, and the server's error
  local message
  message=$(stalled_message)
  [[ $message == *"versions/f00dfa11ed01_failing.sql:6"*"division by zero"* ]] || { echo "  got: $message"; return 1; }
}
check "Stalled says the runner's error: the file and line, and division by zero" says_runner_error
check "shop-api 2.0.0 is not rolled out over the failed migration" becomes \
  '["registry.example/shop-api:1.4.0"]' serving
check "a Warning Event Failed" becomes "Failed" event_reasons shop-migrate-gated Warning
quiet "$kubectl" delete mj shop-migrate-gated "${shop[@]}" --wait
check "deleting the MigrationJob releases shop-api" becomes '[null,null]' gate
check "which then rolls out 2.0.0" becomes '["registry.example/shop-api:2.0.0"]' serving

# A release whose migration runs while the test looks: it waits until the
# test inserts into e2e_release.
held_example() {  # the gated example, with the image whose last migration waits
  sed 's|shop-migrations:1.4.0|shop-migrations:held|' "$source_dir/deploy/examples/migrationjob-with-rollout-gate.yaml"
}
held_example | quiet "$kubectl" apply "${shop[@]}" -f -
check "the new MigrationJob holds shop-api before its Job runs" becomes \
  '[true,["shop/shop-migrate-gated","spec.paused",null]]' gate
held_pod_phase() {
  "$kubectl" get pods "${shop[@]}" -l "job-name=$(job_of shop-migrate-gated 1)" -o jsonpath='{.items[0].status.phase}'
}
check "and its Job's pod runs the migration" becomes Running held_pod_phase
quiet "$kubectl" set image deployment/shop-api "${shop[@]}" api=registry.example/shop-api:1.4.0
check "while the migration runs, shop-api's new template is not rolled out" becomes \
  '["registry.example/shop-api:2.0.0"]' serving
check "its ReplicaSet is not scaled up" equals \
  "$("$kubectl" get rs "${shop[@]}" -l app=shop-api -o json | jq '[.items[] | select(.spec.template.spec.containers[0].image | endswith("1.4.0")) | .spec.replicas] | add')" 0
psql -d "$url" -c 'INSERT INTO e2e_release VALUES (true)'
check "once migrated, the MigrationJob is Ready at the new revision" becomes \
  '["Succeeded",true,"Ready=True","Stalled=False","f00d0b10cced"]' outcome shop-migrate-gated
check "and shop-api's new template is rolled out" becomes '["registry.example/shop-api:1.4.0"]' serving

# The operator pod replaced: no second Job for what is done.
old_pod=$("$kubectl" get pods "${system[@]}" -l app.kubernetes.io/name=schemagate-operator -o jsonpath='{.items[0].metadata.name}')
quiet "$kubectl" delete pod "$old_pod" "${system[@]}" --wait
check "the replaced operator pod becomes ready" \
  quiet "$kubectl" rollout status deployment/schemagate-operator "${system[@]}" --timeout 180s
# The image of the release above: the database already has its head.
quiet "$kubectl" patch mj shop-migrate "${shop[@]}" --type merge \
  -p '{"spec":{"image":"registry.example/shop-migrations:held"}}'
check "the new pod runs shop-migrate's new generation" becomes \
  '["Succeeded",true,"Ready=True","Stalled=False","f00d0b10cced"]' outcome shop-migrate
check "and made no second Job for a finished generation (the deleted one's are collected)" becomes \
  '{"shop-migrate":2,"shop-migrate-gated":1,"shop-worker-migrate":1}' jobs_per_owner

# Two operator pods: the second as a copy of the Deployment whose listeners
# move (pods share the host's network here, see tests/kube/cmd/node-agent).
"$kubectl" get deployment schemagate-operator "${system[@]}" -o json | jq '
  .metadata = {name: "schemagate-operator-second", namespace: .metadata.namespace}
  | .spec.template.metadata.labels["schemagate.io/replica"] = "second"
  | .spec.selector.matchLabels["schemagate.io/replica"] = "second"
  | .spec.template.spec.containers[0].args |= map(if . == ":8080" then ":18080" elif . == ":8081" then ":18081" else . end)
  | .spec.template.spec.containers[0].ports |= map(if .containerPort == 8081 then .containerPort = 18081 elif .containerPort == 8080 then .containerPort = 18080 else . end)
  | del(.status)' | quiet "$kubectl" apply -f -
lease_holder() { "$kubectl" get lease schemagate-operator-leader "${system[@]}" -o jsonpath='{.spec.holderIdentity}'; }
second_pod_running() {
  [[ -n $("$kubectl" get pods "${system[@]}" -l schemagate.io/replica=second \
    -o jsonpath='{.items[0].status.containerStatuses[0].state.running.startedAt}') ]] && echo running
}
check "a second operator pod starts" becomes running second_pod_running
first_holder=$(lease_holder)
check "the Lease has one holder" grep -q . <<<"$first_holder"
first_pod=$("$kubectl" get pods "${system[@]}" -l 'app.kubernetes.io/name=schemagate-operator,!schemagate.io/replica' -o jsonpath='{.items[0].metadata.name}')
quiet "$kubectl" delete deployment schemagate-operator "${system[@]}" --wait
quiet "$kubectl" wait --for=delete "pod/$first_pod" "${system[@]}" --timeout 60s
changed_holder() { [[ -n $(lease_holder) && $(lease_holder) != "$first_holder" ]] && echo changed; }
check "when the leader's pod goes, the second takes the Lease" becomes changed changed_holder
held_example | sed 's/name: shop-migrate-gated/name: shop-migrate-second/' | quiet "$kubectl" apply "${shop[@]}" -f -
check "and reconciles: a new MigrationJob gets its Job and is Ready" becomes \
  '["Succeeded",true,"Ready=True","Stalled=False","f00d0b10cced"]' outcome shop-migrate-second
quiet "$kubectl" delete deployment schemagate-operator-second "${system[@]}" --wait

# Every request of the operator's ServiceAccount, from the audit log, as
# "METHOD /path?query" lines: what rbac_check.sh holds against the rules.
tail -n +"$((audit_start + 1))" "$KUBE_AUDIT_LOG" | jq -s -c '
  map(select(.user.username == "system:serviceaccount:schemagate-system:schemagate-operator"))
  | unique_by(.auditID)
  | map(({get: "GET", list: "GET", watch: "GET", create: "POST", update: "PUT", patch: "PATCH",
          delete: "DELETE", deletecollection: "DELETE"}[.verb] // "GET") + " " + .requestURI)' >"$work/requests.json"
check "the audit log holds the operator's Job creations, and no pod writes (the Job controller's)" equals \
  "$(jq -c '[any(startswith("POST /apis/batch/v1/namespaces/shop/jobs")), any(test("^(POST|PUT|PATCH|DELETE) .*/pods"))]' "$work/requests.json")" \
  '[true,false]'
forbidden() {
  tail -n +"$((audit_start + 1))" "$KUBE_AUDIT_LOG" |
    jq -r 'select(.user.username == "system:serviceaccount:schemagate-system:schemagate-operator"
                  and .responseStatus.code == 403) | .requestURI' | sort -u
}
check "the real authorizer refused the operator nothing" equals "$(forbidden)" ""
"$kubectl" get clusterrole,clusterrolebinding schemagate-operator -o json >"$work/rbac.json"
"$kubectl" get role,rolebinding schemagate-operator-leader-election "${system[@]}" -o json >>"$work/rbac.json"
check "deploy/'s RBAC as the server holds it allows every call the operator made, each rule used" \
  quiet bash "$source_dir/tests/deploy/rbac_check.sh" "$work/requests.json" "$work/rbac.json"
"$helm" template schemagate-operator "$source_dir/helm/schemagate-operator" --namespace schemagate-system |
  as_json "$kubectl" >"$work/chart.json"
check "and so does the chart's" \
  quiet bash "$source_dir/tests/deploy/rbac_check.sh" "$work/requests.json" "$work/chart.json"

finish
